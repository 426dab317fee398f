"""The shapes of the API's requests and replies; the OpenAPI document is generated from them.

Times go out in UTC with their zone (ISO 8601) and must come in with one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

from pregonero.core.i18n import stored_message
from pregonero.publishing.models import Category, Media, Post, Publication


def _no_nul(value: str) -> str:
    # No database keeps U+0000 in text (PostgreSQL refuses it): refuse it here, as forms do.
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Null characters are not allowed.")
    return value


def _plausible(value: datetime) -> datetime:
    # Far-off years cannot be converted between zones; nothing in Pregonero needs them.
    if not 1900 <= value.year <= 2999:
        raise PydanticCustomError("time_out_of_range", "Give a year between 1900 and 2999.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Instant = Annotated[AwareDatetime, AfterValidator(_plausible)]
LocalTime = Annotated[datetime, AfterValidator(_plausible)]
Id = Annotated[int, Field(ge=1, le=2**62)]

LanguageCode = Literal["es", "ca", "gl", "eu", "en"]
CategoryCode = Literal["service", "agenda", "emergency", "campaign", "other"]
PostStateCode = Literal[
    "draft",
    "in_review",
    "approved",
    "scheduled",
    "publishing",
    "published",
    "partly_published",
    "failed",
    "rejected",
    "withdrawn",
]
PublicationStateCode = Literal[
    "queued", "sending", "sent", "retry_wait", "failed", "unknown", "paused", "cancelled"
]
HealthCode = Literal["unknown", "ok", "degraded", "broken"]


class FieldError(Schema):
    field: str = Field(
        description="The field concerned, dotted for nested ones; empty for the whole request."
    )
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class Page(Schema):
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


# Organisations and departments


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    parent: str | None = Field(description="The slug of the organisation above, if any.")
    default_language: LanguageCode
    official_languages: list[LanguageCode]
    time_zone: str

    @staticmethod
    def of(organisation) -> OrganisationOut:
        return OrganisationOut(
            slug=organisation.slug,
            name=organisation.name,
            kind=organisation.kind,
            parent=organisation.parent.slug if organisation.parent_id else None,
            default_language=organisation.default_language,
            official_languages=organisation.official_languages,
            time_zone=organisation.time_zone,
        )


class OrganisationPage(Page):
    items: list[OrganisationOut]


class DepartmentOut(Schema):
    id: int
    name: str
    email: str
    is_active: bool


class DepartmentPage(Page):
    items: list[DepartmentOut]


# Channels


class ChannelOut(Schema):
    id: int
    name: str
    connector: str
    is_active: bool
    health: HealthCode
    health_message: str
    health_checked_at: datetime | None

    @staticmethod
    def of(channel) -> ChannelOut:
        return ChannelOut(
            id=channel.pk,
            name=channel.name,
            connector=channel.connector,
            is_active=channel.is_active,
            health=channel.health,
            health_message=stored_message(channel.health_message) if channel.health_message else "",
            health_checked_at=channel.health_checked_at,
        )


class ChannelPage(Page):
    items: list[ChannelOut]


class ChannelRef(Schema):
    id: int
    name: str


# Posts


class PostIn(Schema):
    title: Text = Field("", max_length=200)
    category: CategoryCode = Category.SERVICE
    tags: list[Annotated[Text, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    department: Id | None = Field(None, description="Id of a department of the organisation.")
    channels: list[Id] = Field(default_factory=list, max_length=100, description="Ids of active channels.")
    texts: dict[LanguageCode, Text] = Field(
        default_factory=dict, description="The post in each official language: {language: text}."
    )


class PostPatch(Schema):
    """Fields left out keep their value."""

    title: Text | None = Field(None, max_length=200)
    category: CategoryCode | None = None
    tags: list[Annotated[Text, Field(max_length=100)]] | None = Field(None, max_length=50)
    department: Id | None = None
    channels: list[Id] | None = Field(None, max_length=100)
    texts: dict[LanguageCode, Text] | None = Field(
        None, description="Languages given replace their text; an empty text removes the language."
    )


class TextOut(Schema):
    language: LanguageCode
    body: str
    machine_translated: bool


class VariantOut(Schema):
    id: int
    channel: ChannelRef
    language: LanguageCode
    body: str
    parts: list[str]
    edited: bool


class VariantIn(Schema):
    body: Text | None = Field(
        None, description="The text for this channel and language; null goes back to the automatic one."
    )


class MediaOut(Schema):
    id: int
    kind: Literal["image", "video"]
    mime: str
    size: int
    filename: str
    description: str
    has_captions: bool
    shows_minors: bool
    consent_recorded: bool

    @staticmethod
    def of(media: Media) -> MediaOut:
        return MediaOut(
            id=media.pk,
            kind=media.kind,
            mime=media.mime,
            size=media.size,
            filename=media.filename,
            description=media.description,
            has_captions=bool(media.captions),
            shows_minors=media.shows_minors,
            consent_recorded=media.consent_recorded,
        )


class PublicationOut(Schema):
    id: int
    post: int
    channel: ChannelRef
    language: LanguageCode
    state: PublicationStateCode
    due_at: datetime
    sent_at: datetime | None
    attempts: int
    remote_url: str
    last_error: str = Field(description="In the token owner's language.")

    @staticmethod
    def of(publication: Publication) -> PublicationOut:
        return PublicationOut(
            id=publication.pk,
            post=publication.post_id,
            channel=ChannelRef(id=publication.channel_id, name=publication.channel.name),
            language=publication.variant.language,
            state=publication.state,
            due_at=publication.due_at,
            sent_at=publication.sent_at,
            attempts=publication.attempt_count,
            remote_url=publication.remote_url,
            last_error=stored_message(publication.last_error, publication.last_error_params)
            if publication.last_error
            else "",
        )


class PostSummary(Schema):
    id: int
    title: str
    state: PostStateCode
    category: CategoryCode
    department: int | None
    revision: int
    scheduled_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def of(post: Post) -> PostSummary:
        return PostSummary(
            id=post.pk,
            title=post.title,
            state=post.state,
            category=post.category,
            department=post.department_id,
            revision=post.revision,
            scheduled_at=post.scheduled_at,
            created_at=post.created_at,
            updated_at=post.updated_at,
        )


class PostPage(Page):
    items: list[PostSummary]


class PostOut(PostSummary):
    tags: list[str]
    author: str
    approved_by: str | None
    approved_at: datetime | None
    review_comment: str
    channels: list[ChannelRef]
    texts: list[TextOut]
    variants: list[VariantOut]
    media: list[MediaOut]
    publications: list[PublicationOut]

    @staticmethod
    def of(post: Post) -> PostOut:
        post.refresh_from_db()
        summary = PostSummary.of(post).model_dump()
        return PostOut(
            **summary,
            tags=list(post.tags),
            author=str(post.author),
            approved_by=str(post.approved_by) if post.approved_by_id else None,
            approved_at=post.approved_at,
            review_comment=post.review_comment,
            channels=[ChannelRef(id=channel.pk, name=channel.name) for channel in post.channels.all()],
            texts=[
                TextOut(language=text.language, body=text.body, machine_translated=text.machine_translated)
                for text in post.texts.order_by("language")
            ],
            variants=[
                VariantOut(
                    id=variant.pk,
                    channel=ChannelRef(id=variant.channel_id, name=variant.channel.name),
                    language=variant.language,
                    body=variant.body,
                    parts=list(variant.parts),
                    edited=variant.edited,
                )
                for variant in post.variants.select_related("channel").order_by("pk")
            ],
            media=[MediaOut.of(media) for media in post.media.all()],
            publications=[
                PublicationOut.of(publication)
                for publication in post.publications.select_related("channel", "variant").order_by("pk")
            ],
        )


class ReviewIn(Schema):
    comment: Text = Field("", max_length=5000)


class WithdrawIn(Schema):
    reason: Text = Field("", max_length=5000)


class ScheduleIn(Schema):
    """Either ``at`` (an instant with its zone) or ``local_time`` (the organisation's wall clock)."""

    at: Instant | None = Field(None, description="ISO 8601 with zone, e.g. 2026-12-01T10:00:00+01:00.")
    local_time: LocalTime | None = Field(
        None,
        description="Wall-clock time in the organisation's time zone without offset, e.g. 2026-12-01T10:00.",
    )
    fold: Literal[0, 1] | None = Field(
        None,
        description="For a local time that happens twice when clocks go back: 0 the first, 1 the second.",
    )


class RetryIn(Schema):
    checked: bool = Field(
        False, description="For an unknown publication: you checked the network and it is not there."
    )


class MarkSentIn(Schema):
    url: Text = Field("", max_length=500, description="The address of the post on the network, if known.")


# Audit


class AuditEntryOut(Schema):
    id: int
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    outcome: Literal["success", "failure", "denied"]
    changes: dict
    details: dict
    hash: str
    prev_hash: str


class AuditPage(Page):
    items: list[AuditEntryOut]


# Inbox

ConversationStateCode = Literal["new", "open", "waiting_citizen", "waiting_department", "resolved", "closed"]
ConversationKindCode = Literal["thread", "mention", "private"]
PriorityCode = Literal["low", "normal", "high", "urgent"]
PRIORITIES: dict[str, int] = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
PRIORITY_NAMES = {number: name for name, number in PRIORITIES.items()}
Tag = Annotated[Text, Field(min_length=1, max_length=40)]


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def of(person) -> PersonRef | None:
        return PersonRef(id=person.pk, name=person.full_name or person.email) if person is not None else None


class CitizenOut(Schema):
    handle: str
    name: str


class ConversationSummary(Schema):
    id: int
    kind: ConversationKindCode
    state: ConversationStateCode
    priority: PriorityCode
    channel: ChannelRef
    department: int | None
    assignee: PersonRef | None
    tags: list[str]
    language: str = Field(description="The citizen's language as detected, e.g. “ca”; empty if unknown.")
    citizen: CitizenOut = Field(description="As the network names them: untrusted text.")
    created_at: datetime
    last_message_at: datetime
    due_at: datetime | None = Field(description="When the answer falls due; null while nothing is owed.")
    overdue: bool
    first_response_at: datetime | None

    @staticmethod
    def of(conversation, now: datetime) -> ConversationSummary:
        return ConversationSummary(
            id=conversation.pk,
            kind=conversation.kind,
            state=conversation.state,
            priority=PRIORITY_NAMES.get(conversation.priority, "normal"),
            channel=ChannelRef(id=conversation.channel_id, name=conversation.channel.name),
            department=conversation.department_id,
            assignee=PersonRef.of(conversation.assignee),
            tags=list(conversation.tags),
            language=conversation.language,
            citizen=CitizenOut(handle=conversation.citizen_handle, name=conversation.citizen_name),
            created_at=conversation.created_at,
            last_message_at=conversation.last_message_at,
            due_at=conversation.due_at,
            overdue=conversation.is_overdue(now),
            first_response_at=conversation.first_response_at,
        )


class ConversationPage(Page):
    items: list[ConversationSummary]


class PendingReplyOut(Schema):
    id: int
    state: Literal["pending", "approved", "returned"] = Field(
        description="Waits for an editor's approval (the organisation's rule for the token's role)."
    )
    text: str
    language: str
    created_at: datetime

    @staticmethod
    def of(pending) -> PendingReplyOut:
        return PendingReplyOut(
            id=pending.pk,
            state=pending.state,
            text=pending.text,
            language=pending.language,
            created_at=pending.created_at,
        )


class MessageOut(Schema):
    id: int
    direction: Literal["in", "out"] = Field(description="“in” from the citizen, “out” our reply.")
    author_handle: str
    author_name: str
    sent_by: PersonRef | None = Field(description="Who in the organisation wrote a reply.")
    text: str = Field(description="As written: plain text, never HTML. A citizen's text is untrusted.")
    url: str
    language: str
    created_at: datetime | None
    received_at: datetime
    edited: bool
    deleted: bool = Field(description="Deleted on the network; the text is kept (nothing sent is lost).")
    personal_data: list[str] = Field(description="Kinds of personal data found in the text, e.g. “dni”.")

    @staticmethod
    def of(message) -> MessageOut:
        return MessageOut(
            id=message.pk,
            direction=message.direction,
            author_handle=message.author_handle,
            author_name=message.author_name,
            sent_by=PersonRef.of(message.sent_by),
            text=message.text,
            url=message.url,
            language=message.language,
            created_at=message.created_at,
            received_at=message.received_at,
            edited=message.edited,
            deleted=message.deleted,
            personal_data=list(message.personal_data),
        )


class NoteOut(Schema):
    id: int
    author: PersonRef | None
    text: str
    created_at: datetime

    @staticmethod
    def of(note) -> NoteOut:
        return NoteOut(
            id=note.pk, author=PersonRef.of(note.author), text=note.text, created_at=note.created_at
        )


class ConversationOut(ConversationSummary):
    messages: list[MessageOut] = Field(description="Oldest first.")
    notes: list[NoteOut] = Field(description="Internal notes, oldest first; never sent to the citizen.")


class ConversationPatch(Schema):
    """Fields left out keep their value; ``null`` clears the department or the assignee."""

    state: ConversationStateCode | None = Field(
        None, description="“resolved” or “closed” to finish it, “open” to reopen it."
    )
    priority: PriorityCode | None = None
    department: Id | None = Field(None, description="Id of an active department of the organisation.")
    assignee: Id | None = Field(None, description="Id of a person of the organisation.")
    tags: list[Tag] | None = Field(None, max_length=50, description="Replaces the tags.")


class ReplyIn(Schema):
    text: Text = Field("", max_length=5000)
    language: LanguageCode | None = Field(
        None, description="The reply's language; by default the citizen's, or the organisation's."
    )
    override_reason: Text = Field(
        "",
        max_length=500,
        description="Why a reply that exposes personal data must go anyway (DATA-1); audited.",
    )


class NoteIn(Schema):
    text: Text = Field("", max_length=5000, description="Mention colleagues as @name.")
