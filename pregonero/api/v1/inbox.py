"""The inbox: conversations with their messages and notes; reply, triage and notes through
the inbox services the interface uses, with its rules (readers read; contributors see their
departments' conversations only; editors and above act)."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router
from pydantic import Field

from pregonero.accounts.models import LANGUAGE_CODES, Department
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in
from pregonero.api import pagination
from pregonero.api.access import reach_as
from pregonero.api.idempotency import run_once
from pregonero.api.models import Access, Resource
from pregonero.api.problems import Problem, field_error, from_validation_error
from pregonero.api.schemas import (
    PRIORITIES,
    ConversationKindCode,
    ConversationOut,
    ConversationPage,
    ConversationPatch,
    ConversationStateCode,
    ConversationSummary,
    Instant,
    LanguageCode,
    MessageOut,
    NoteIn,
    NoteOut,
    PendingReplyOut,
    ReplyIn,
    Tag,
)
from pregonero.api.v1 import ID, answers, json_answer
from pregonero.api.v1.posts import REQUIRED_IDEMPOTENCY_KEY
from pregonero.inbox import answering, services
from pregonero.inbox.models import FINISHED_STATES, Conversation, PendingReply

router = Router()

CONVERSATION_ID = Path(..., **ID)
IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Required: the ETag of the conversation as last read (412 if it changed).",
)


def etag(conversation: Conversation) -> str:
    """Names what a triage can change (state, priority, department, assignee, tags)."""
    state = [
        conversation.state,
        conversation.priority,
        conversation.department_id,
        conversation.assignee_id,
        sorted(conversation.tags),
    ]
    digest = hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16]
    return f'"{conversation.pk}-{digest}"'


def _visible(request, organisation: str, access: str = Access.READ, minimum: Role | None = None):
    """The conversations the token's creator sees in the interface, with at most the token's role."""
    if minimum is None:
        minimum = services.ACTING_ROLE if access == Access.WRITE else Role.READER
    found, role = reach_as(request, organisation, Resource.INBOX, access, minimum)
    return found, services.visible_conversations(request.actor, found, role)


def _find(
    request, organisation: str, conversation_id: int, access: str = Access.READ, minimum: Role | None = None
) -> Conversation:
    found, visible = _visible(request, organisation, access, minimum)
    return object_in(visible.select_related("organisation", "channel", "assignee"), found, pk=conversation_id)


def _conversation_reply(conversation: Conversation, status: int = 200) -> HttpResponse:
    conversation = Conversation.objects.select_related("channel", "assignee").get(pk=conversation.pk)
    summary = ConversationSummary.of(conversation, timezone.now()).model_dump()
    whole = ConversationOut(
        **summary,
        messages=[MessageOut.of(message) for message in conversation.messages.select_related("sent_by")],
        notes=[NoteOut.of(note) for note in conversation.notes.select_related("author")],
    )
    return json_answer(status, whole, {"ETag": etag(conversation)})


def _with_tag(queryset: QuerySet, tag: str) -> QuerySet:
    if connection.features.supports_json_field_contains:
        return queryset.filter(tags__contains=[tag])
    # SQLite keeps the list as JSON text: the quoted tag matches a whole element only.
    as_text = queryset.annotate(tags_text=Cast("tags", TextField()))
    return as_text.filter(
        Q(tags_text__contains=json.dumps(tag)) | Q(tags_text__contains=json.dumps(tag, ensure_ascii=False))
    )


class ConversationFilters(pagination.PageParams):
    state: ConversationStateCode | None = Field(
        None, description="Only this state; every state when left out."
    )
    channel: int | None = Field(None, **ID)
    department: int | None = Field(None, **ID)
    assignee: str | None = Field(
        None,
        pattern=r"^(me|none|[1-9][0-9]{0,17})$",
        description="A person's id, “me” (the token's creator) or “none” (nobody).",
    )
    kind: ConversationKindCode | None = None
    overdue: bool | None = Field(
        None, description="true: only those whose answer is overdue; false: the others."
    )
    language: LanguageCode | None = Field(None, description="The citizen's language.")
    tag: Tag | None = None
    updated_since: Instant | None = Field(
        None, description="Conversations with a message (the citizen's or ours) at or after this time."
    )


@router.get(
    "/{organisation}/conversations",
    response=answers(s200=ConversationPage),
    summary="Conversations, newest first",
)
def list_conversations(request, organisation: str, filters: Query[ConversationFilters]):
    """The token's creator's view of the inbox: contributors' tokens list their departments'
    conversations only."""
    _found, queryset = _visible(request, organisation)
    now = timezone.now()
    for name in ("state", "channel", "department", "kind", "language"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{name: value})
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=request.auth.created_by)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee:
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    overdue = Q(due_at__lt=now) & ~Q(state__in=FINISHED_STATES)
    if filters.overdue is True:
        queryset = queryset.filter(overdue)
    elif filters.overdue is False:
        queryset = queryset.exclude(overdue)
    if filters.tag:
        queryset = _with_tag(queryset, filters.tag.strip())
    if filters.updated_since:
        queryset = queryset.filter(last_message_at__gte=filters.updated_since)
    rows, following = pagination.page(
        queryset.select_related("channel", "assignee"), filters.cursor, filters.limit
    )
    return ConversationPage(items=[ConversationSummary.of(row, now) for row in rows], next_cursor=following)


@router.get(
    "/{organisation}/conversations/{conversation_id}",
    response=answers(s200=ConversationOut),
    summary="A conversation with its messages and notes",
    url_name="get_conversation",
)
def get_conversation(request, organisation: str, conversation_id: int = CONVERSATION_ID):
    """The ``ETag`` header is what ``If-Match`` of an update must carry."""
    return _conversation_reply(_find(request, organisation, conversation_id))


def _precondition(header: str | None, conversation: Conversation) -> None:
    if header is None:
        raise Problem(
            428,
            _("Send the conversation's ETag in an If-Match header, so a change never overwrites another."),
            kind="precondition-required",
        )
    if header.strip() != "*" and header.strip() != etag(conversation):
        current = etag(conversation)
        raise Problem(
            412,
            _("The conversation changed since you read it; read it again and apply your change to it."),
            kind="precondition-failed",
            headers={"ETag": current},
            current_etag=current,
        )


def _department(organisation, pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(organisation=organisation, is_active=True, pk=pk).first()
    if department is None:
        raise field_error("department", _("Choose a department of this organisation."))
    return department


def _assignee(organisation, pk: int | None):
    if pk is None:
        return None
    person = services.members(organisation).filter(pk=pk).first()
    if person is None:
        raise field_error("assignee", _("Choose a member of this organisation."))
    return person


@router.patch(
    "/{organisation}/conversations/{conversation_id}",
    response=answers(s200=ConversationOut),
    summary="Assign, resolve, close, reopen, prioritise or tag",
)
def update_conversation(
    request,
    organisation: str,
    payload: ConversationPatch,
    conversation_id: int = CONVERSATION_ID,
    if_match: str | None = IF_MATCH,
):
    """Fields left out keep their value; ``null`` clears the department or the assignee.
    Needs ``If-Match`` with the conversation's ``ETag`` (428 without it, 412 when someone
    changed it meanwhile). Editor tokens and above, as in the interface."""
    conversation = _find(request, organisation, conversation_id, Access.WRITE)
    given = payload.model_fields_set
    with transaction.atomic():
        # Locked, so nobody changes it between the check of the ETag and the change.
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _precondition(if_match, current)
        found = conversation.organisation
        try:
            services.triage(
                conversation,
                actor=request.actor,
                state=payload.state or current.state,
                priority=PRIORITIES[payload.priority] if payload.priority else current.priority,
                department=_department(found, payload.department)
                if "department" in given
                else current.department,
                assignee=_assignee(found, payload.assignee) if "assignee" in given else current.assignee,
                tags=current.tags if payload.tags is None else payload.tags,
                request=request,
            )
        except ValidationError as error:
            raise from_validation_error(error) from None
    return _conversation_reply(conversation)


def _language(conversation: Conversation) -> str:
    """As the interface proposes: the citizen's language if it is one we write, else the default."""
    language = conversation.language
    return language if language in LANGUAGE_CODES else conversation.organisation.default_language


@router.post(
    "/{organisation}/conversations/{conversation_id}/replies",
    response=answers(s201=MessageOut, s202=PendingReplyOut),
    summary="Answer the citizen",
)
def reply(
    request,
    organisation: str,
    payload: ReplyIn,
    conversation_id: int = CONVERSATION_ID,
    idempotency_key: str = REQUIRED_IDEMPOTENCY_KEY,
):
    """Sent through the channel's connector, exactly as from the interface (201). Where the
    organisation has replies of the token's role approved first, the reply waits for an
    editor instead (202, a pending reply). A reply exposing personal data (a DNI, a phone
    number...) is refused with a ``personal-data`` problem on ``text`` unless
    ``override_reason`` says why it must go (DATA-1); the reason is audited."""

    def send() -> HttpResponse:
        # Who may send is the reply service's rule (the interface's): it refuses with 403.
        conversation = _find(request, organisation, conversation_id, Access.WRITE, Role.CONTRIBUTOR)
        try:
            sent = answering.submit(
                conversation,
                actor=request.actor,
                text=payload.text,
                language=payload.language or _language(conversation),
                override_reason=payload.override_reason,
                request=request,
            )
        except services.ReplyBlocked as error:
            blocked = from_validation_error(error)
            raise Problem(
                422,
                _("The reply exposes personal data."),
                kind="personal-data",
                errors=blocked.errors,
                personal_data=services.personal_data_in(payload.text),
            ) from None
        except ValidationError as error:
            raise from_validation_error(error) from None
        if isinstance(sent, PendingReply):
            return json_answer(202, PendingReplyOut.of(sent))
        return json_answer(201, MessageOut.of(sent))

    return run_once(request, idempotency_key, send)


@router.post(
    "/{organisation}/conversations/{conversation_id}/notes",
    response=answers(s201=NoteOut),
    summary="Add an internal note",
)
def add_note(
    request,
    organisation: str,
    payload: NoteIn,
    conversation_id: int = CONVERSATION_ID,
    idempotency_key: str = REQUIRED_IDEMPOTENCY_KEY,
):
    """Never sent to the citizen; colleagues @mentioned in it get an e-mail."""

    def note() -> HttpResponse:
        conversation = _find(request, organisation, conversation_id, Access.WRITE)
        if not payload.text.strip():
            raise field_error("text", _("This field is required."))
        added = services.add_note(conversation, actor=request.actor, text=payload.text, request=request)
        return json_answer(201, NoteOut.of(added))

    return run_once(request, idempotency_key, note)
