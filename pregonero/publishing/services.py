"""Writing posts: create, save and autosave with revisions, channel variants and the preview.

Every action checks the actor's role through :mod:`.rules`, changes the rows inside one
transaction and leaves an audit entry in the same transaction. Refusals a person can fix
are ``ValidationError`` with a translated message; refusals of role are ``PermissionDenied``.
Review, media, scheduling and the emergency pause have their own modules alongside.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Department, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.channels.models import Channel
from pregonero.publishing.adapt import AdaptationError, adapt, preview
from pregonero.publishing.diff import word_diff
from pregonero.publishing.models import Category, Post, PostRevision, PostState, PostText, Variant
from pregonero.publishing.rules import (
    AUTOSAVE_STATES,
    EDITABLE_STATES,
    contributor_departments,
    may_write,
    require,
    require_state,
    role_of,
)


class StaleEdit(ValidationError):
    """Someone saved the post after the form was opened.

    ``current`` is the snapshot saved meanwhile, ``revision`` its number and ``by``/``at``
    who saved it and when, so the form can show both versions and nothing is lost.
    """

    def __init__(self, message: str, *, current: dict, revision: int, by: Person | None, at: datetime | None):
        super().__init__(message, code="stale")
        self.current = current
        self.revision = revision
        self.by = by
        self.at = at


def snapshot(post: Post) -> dict:
    """The whole editable content of a post, as stored in each revision."""
    return {
        "title": post.title,
        "department": post.department_id,
        "department_name": post.department.name if post.department_id else "",
        "category": post.category,
        "tags": list(post.tags),
        "channels": sorted(post.channels.values_list("pk", flat=True)),
        "texts": dict(post.texts.order_by("language").values_list("language", "body")),
        "state": post.state,
    }


def _clean_content(
    organisation: Organisation,
    actor: Person,
    role: Role,
    department: Department | None,
    channels: Iterable[Channel],
    texts: dict[str, str],
) -> list[Channel]:
    channels = list(channels)
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("Choose a department of this organisation.")})
    if not role.at_least(Role.EDITOR) and (
        department is None or department.pk not in contributor_departments(actor, organisation)
    ):
        raise ValidationError({"department": _("Contributors write posts for their own departments only.")})
    if any(channel.organisation_id != organisation.pk or not channel.is_active for channel in channels):
        raise ValidationError({"channels": _("Choose active channels of this organisation.")})
    unknown = set(texts) - set(organisation.official_languages)
    if unknown:
        raise ValidationError(_("Write only in the official languages of the organisation."))
    return channels


def _write_content(post: Post, channels: list[Channel], texts: dict[str, str]) -> None:
    post.channels.set(channels)
    current = {text.language: text for text in post.texts.all()}
    for language, body in texts.items():
        body = body.strip()
        text = current.get(language)
        if not body:
            PostText.objects.filter(post=post, language=language).delete()
        elif text is None:
            PostText.objects.create(post=post, language=language, body=body)
        elif not _same_lines(body, text.body):
            # An edited machine translation is the person's text now (LANG-3).
            text.body, text.machine_translated = body, False
            text.save(update_fields=["body", "machine_translated"])
    _regenerate(post)


def _same_lines(one: str, other: str) -> bool:
    """Browsers send line breaks as CRLF: a text sent back untouched is not an edit."""
    return one.replace("\r\n", "\n") == other.replace("\r\n", "\n")


def _add_revision(post: Post, actor: Person, autosave: bool) -> PostRevision:
    return PostRevision.objects.create(
        post=post, number=post.revision, author=actor, snapshot=snapshot(post), autosave=autosave
    )


@transaction.atomic
def create_post(
    organisation: Organisation,
    *,
    actor: Person,
    title: str = "",
    department: Department | None = None,
    category: str = Category.SERVICE,
    tags: list[str] | None = None,
    channels: Iterable[Channel] = (),
    texts: dict[str, str] | None = None,
    request=None,
) -> Post:
    """Create a draft written by ``actor`` with its first revision and its adaptations."""
    role = role_of(actor, organisation)
    require(role.at_least(Role.CONTRIBUTOR))
    texts = texts or {}
    channels = _clean_content(organisation, actor, role, department, channels, texts)
    post = Post.objects.create(
        organisation=organisation,
        title=title,
        department=department,
        category=category,
        tags=list(tags or []),
        author=actor,
    )
    _write_content(post, channels, texts)
    _add_revision(post, actor, autosave=False)
    audit.record(
        "post.created",
        actor=actor,
        organisation=organisation,
        obj=post,
        changes=audit.diff({}, snapshot(post)),
        request=request,
    )
    return post


@transaction.atomic
def save_post(
    post: Post,
    *,
    actor: Person,
    revision: int,
    title: str,
    department: Department | None,
    category: str,
    tags: list[str],
    channels: Iterable[Channel],
    texts: dict[str, str],
    autosave: bool = False,
    request=None,
) -> Post:
    """Save an edit made on top of ``revision``; raise :class:`StaleEdit` if it is not the latest.

    Each save that changes something adds a :class:`PostRevision`. A person's save of an
    approved post sends it back to draft (what was approved is no longer what would go out)
    and a rejected post becomes a draft again; an autosave never changes the state and is
    refused on approved posts.
    """
    organisation = post.organisation
    role = role_of(actor, organisation)
    require(may_write(actor, post))
    require_state(
        post,
        AUTOSAVE_STATES if autosave else EDITABLE_STATES,
        _("A post that is “%(state)s” can no longer be edited."),
    )
    channels = _clean_content(organisation, actor, role, department, channels, texts)
    # The conditional UPDATE is the lock: of two saves on the same revision only one matches.
    claimed = Post.objects.filter(pk=post.pk, revision=revision).update(revision=F("revision") + 1)
    if not claimed:
        post.refresh_from_db()
        latest = post.revisions.select_related("author").first()
        raise StaleEdit(
            _(
                "Someone saved this post after you opened it. Your text has not been lost: compare both "
                "versions below, keep what you need and save again."
            ),
            current=snapshot(post),
            revision=post.revision,
            by=latest.author if latest else None,
            at=latest.at if latest else None,
        )
    post.refresh_from_db()
    before = snapshot(post)
    post.title, post.department, post.category, post.tags = title, department, category, list(tags)
    post.updated_at = timezone.now()
    if not autosave and post.state in (PostState.APPROVED, PostState.REJECTED):
        post.state = PostState.DRAFT
        post.approved_by, post.approved_at = None, None
    post.save()
    _write_content(post, channels, texts)
    changes = audit.diff(before, snapshot(post))
    if not changes:
        # Nothing changed (an autosave of an idle form): give the revision number back.
        Post.objects.filter(pk=post.pk).update(revision=F("revision") - 1)
        post.refresh_from_db()
        return post
    _add_revision(post, actor, autosave=autosave)
    audit.record(
        "post.autosaved" if autosave else "post.saved",
        actor=actor,
        organisation=organisation,
        obj=post,
        changes=changes,
        details={"revision": post.revision},
        request=request,
    )
    return post


def _regenerate(post: Post) -> None:
    """Bring the variants in line with the post's texts and channels; keep edited ones.

    A text that does not fit a channel leaves that variant with no parts; submission
    reports why (:func:`submission_problems`).
    """
    wanted = {}
    for channel in post.channels.all():
        connector = channel.get_connector()
        for text in post.texts.all():
            wanted[(channel.pk, text.language)] = (connector, text.body)
    for variant in post.variants.all():
        if (variant.channel_id, variant.language) not in wanted and not variant.publications.exists():
            variant.delete()
    for (channel_id, language), (connector, body) in wanted.items():
        variant, _created = Variant.objects.get_or_create(
            post=post, channel_id=channel_id, language=language, defaults={"body": body}
        )
        if variant.edited:
            continue
        try:
            parts = adapt(body, connector.limits, connector.capabilities)
        except AdaptationError:
            parts = []
        variant.body, variant.parts = body, parts
        variant.save(update_fields=["body", "parts"])


@transaction.atomic
def regenerate_variants(post: Post, *, actor: Person, request=None) -> Post:
    """Adapt the texts to every channel again; variants a person edited are kept."""
    require(may_write(actor, post))
    require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    _regenerate(post)
    audit.record(
        "post.variants_regenerated", actor=actor, organisation=post.organisation, obj=post, request=request
    )
    return post


@transaction.atomic
def edit_variant(variant: Variant, *, actor: Person, body: str | None, request=None) -> Variant:
    """Replace the adaptation of one channel and language with ``body`` (None: back to automatic).

    An edited variant is split and counted like any other and kept when the post is edited.
    """
    post = variant.post
    require(may_write(actor, post))
    require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    before = {"body": variant.body, "edited": variant.edited}
    if body is None:
        variant.edited = False
        variant.save(update_fields=["edited"])
        _regenerate(post)
        variant.refresh_from_db()
    else:
        connector = variant.channel.get_connector()
        try:
            parts = adapt(body, connector.limits, connector.capabilities)
        except AdaptationError as error:
            raise ValidationError({"body": error.message}) from error
        variant.body, variant.parts, variant.edited = body.strip(), parts, True
        variant.save(update_fields=["body", "parts", "edited"])
    audit.record(
        "post.variant_edited",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes=audit.diff(before, {"body": variant.body, "edited": variant.edited}),
        details={"channel": variant.channel.name, "language": variant.language},
        request=request,
    )


def compose_preview(
    organisation: Organisation, channels: Iterable[Channel], texts: dict[str, str]
) -> list[dict]:
    """What each channel would publish in each language, for the composer; writes nothing."""
    result = []
    for channel in channels:
        connector = channel.get_connector()
        for language in organisation.official_languages:
            body = texts.get(language, "")
            if body.strip():
                result.append(
                    {
                        "channel": channel,
                        "language": language,
                        "preview": preview(body, connector.limits, connector.capabilities),
                        "limit": connector.limits.max_length,
                    }
                )
    return result


def revisions_with_diffs(post: Post) -> list[dict]:
    """The history of ``post``, newest first, each revision with its text changes."""
    revisions = list(post.revisions.select_related("author"))
    history = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1].snapshot if index + 1 < len(revisions) else {}
        old_texts, new_texts = previous.get("texts", {}), revision.snapshot.get("texts", {})
        changes = [
            {
                "language": language,
                "diff": word_diff(old_texts.get(language, ""), new_texts.get(language, "")),
            }
            for language in sorted(set(old_texts) | set(new_texts))
            if old_texts.get(language, "") != new_texts.get(language, "")
        ]
        other = [
            name
            for name in ("title", "department_name", "category", "tags", "channels", "state")
            if previous and previous.get(name) != revision.snapshot.get(name)
        ]
        history.append({"revision": revision, "texts": changes, "fields": other})
    return history


def filter_posts(organisation: Organisation, **filters) -> Q:
    """A condition for the posts list; empty filters are ignored."""
    condition = Q(organisation=organisation)
    if filters.get("state"):
        condition &= Q(state=filters["state"])
    if filters.get("department"):
        condition &= Q(department=filters["department"])
    if filters.get("category"):
        condition &= Q(category=filters["category"])
    if filters.get("channel"):
        condition &= Q(channels=filters["channel"])
    if filters.get("language"):
        condition &= Q(texts__language=filters["language"])
    return condition


def texts_in_order(post: Post) -> list[PostText]:
    """The post's texts in the organisation's language order (LANG-1: which goes first)."""
    order = {language: index for index, language in enumerate(post.organisation.official_languages)}
    return sorted(post.texts.all(), key=lambda text: order.get(text.language, len(order)))
