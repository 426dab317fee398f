"""Business actions on posts: writing, review, scheduling, withdrawal and the emergency pause.

Every action checks the actor's role through :mod:`pregonero.accounts.scoping`, changes
the rows inside one transaction and leaves an audit entry in the same transaction.
Refusals a person can fix are ``ValidationError`` with a translated message; refusals of
role are ``PermissionDenied``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Department, Membership, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.channels.models import Channel
from pregonero.publishing import localtime
from pregonero.publishing.adapt import AdaptationError, adapt
from pregonero.publishing.models import (
    DUE_STATES,
    ApprovalRule,
    Category,
    Media,
    MediaKind,
    Post,
    PostRevision,
    PostState,
    PostText,
    Publication,
    PublicationState,
    PublishingPolicy,
    Variant,
)

# States in which the content of a post may still change.
EDITABLE_STATES = (PostState.DRAFT, PostState.REJECTED, PostState.IN_REVIEW, PostState.APPROVED)
# Autosave never touches an approved post: what was approved must not change silently.
AUTOSAVE_STATES = (PostState.DRAFT, PostState.REJECTED, PostState.IN_REVIEW)
SUBMITTABLE_STATES = (PostState.DRAFT, PostState.REJECTED)
WITHDRAWABLE_STATES = (
    PostState.DRAFT,
    PostState.IN_REVIEW,
    PostState.APPROVED,
    PostState.SCHEDULED,
    PostState.REJECTED,
)
# Publications that have not reached the network and may be cancelled or paused.
WAITING_STATES = (PublicationState.QUEUED, PublicationState.RETRY_WAIT, PublicationState.PAUSED)

IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
CAPTION_EXTENSIONS = (".vtt", ".srt")
MAX_CAPTIONS_BYTES = 1_000_000


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


# Roles and permissions -------------------------------------------------------------------------


def role_of(actor: Person, organisation: Organisation) -> Role:
    role = effective_role(actor, organisation)
    if role is None:
        raise PermissionDenied
    return role


def contributor_departments(actor: Person, organisation: Organisation) -> list[int]:
    membership = Membership.objects.filter(person=actor, organisation=organisation).first()
    return list(membership.departments.values_list("pk", flat=True)) if membership else []


def may_write(actor: Person, post: Post) -> bool:
    """Editors and above write any post; contributors only their own departments' posts."""
    role = effective_role(actor, post.organisation)
    if role is None or not role.at_least(Role.CONTRIBUTOR):
        return False
    if role.at_least(Role.EDITOR):
        return True
    return post.department_id is not None and post.department_id in contributor_departments(
        actor, post.organisation
    )


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _require_state(post: Post, states: Iterable[str], message: str) -> None:
    if post.state not in states:
        raise ValidationError(message % {"state": post.get_state_display()})


def policy_for(organisation: Organisation) -> PublishingPolicy:
    policy, _created = PublishingPolicy.objects.get_or_create(organisation=organisation)
    return policy


def needs_approval(post: Post) -> bool:
    """Whether the organisation's policy wants a person to approve this post.

    Approval channels apply whatever the rule; categories only with the "categories" rule.
    """
    policy = policy_for(post.organisation)
    if policy.approval == ApprovalRule.ALL:
        return True
    if policy.approval == ApprovalRule.CATEGORIES and post.category in policy.approval_categories:
        return True
    selected = post.channels.values_list("pk", flat=True)
    return policy.approval_channels.filter(pk__in=selected).exists()


def is_paused(organisation: Organisation) -> bool:
    """CRISIS-1: the organisation or one above it has pressed the emergency switch."""
    chain = [*organisation.ancestor_ids(), organisation.pk]
    return PublishingPolicy.objects.filter(organisation_id__in=chain, paused_at__isnull=False).exists()


# Writing ---------------------------------------------------------------------------------------


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
    for language, body in texts.items():
        body = body.strip()
        if body:
            PostText.objects.update_or_create(post=post, language=language, defaults={"body": body})
        else:
            PostText.objects.filter(post=post, language=language).delete()
    _regenerate(post)


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
    _require(role.at_least(Role.CONTRIBUTOR))
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
    _require(may_write(actor, post))
    _require_state(
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
    _require(may_write(actor, post))
    _require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
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
    _require(may_write(actor, post))
    _require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
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
    return variant


# Media -----------------------------------------------------------------------------------------


def sniff_mime(head: bytes) -> str:
    """The type of a file from its first bytes; "" when it is not an accepted image or video."""
    for signature, mime in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return ""


def _media_fit_problems(channels: Iterable[Channel], kind: str, mime: str, size: int) -> list[str]:
    problems = []
    for channel in channels:
        connector = channel.get_connector()
        capabilities, limits = connector.capabilities, connector.limits
        is_video = kind == MediaKind.VIDEO
        values = {"channel": channel.name, "type": mime}
        if not capabilities.media or (is_video and not capabilities.video):
            problems.append(_("%(channel)s does not publish this kind of file.") % values)
            continue
        types = limits.video_types if is_video else limits.image_types
        if types and mime not in types:
            problems.append(_("%(channel)s does not accept %(type)s files.") % values)
        largest = limits.max_video_bytes if is_video else limits.max_image_bytes
        if largest is not None and size > largest:
            problems.append(
                _("The file is too large for %(channel)s: at most %(megabytes)s MB.")
                % {**values, "megabytes": f"{largest / 1_000_000:.1f}"}
            )
    return problems


def _check_captions(captions: UploadedFile | None) -> None:
    if captions is None:
        return
    if not captions.name.lower().endswith(CAPTION_EXTENSIONS) or captions.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(
            {"captions": _("Captions must be a WebVTT (.vtt) or SubRip (.srt) file under 1 MB.")}
        )


def _check_minors(shows_minors: bool, consent_recorded: bool) -> None:
    if shows_minors and not consent_recorded:
        raise ValidationError(
            {
                "consent_recorded": _(
                    "Images of children under 14 need the recorded consent of their parents or guardians "
                    "(DATA-3)."
                )
            }
        )


def _media_state(media: Media) -> dict:
    return {
        "file": media.file.name,
        "description": media.description,
        "captions": media.captions.name if media.captions else "",
        "shows_minors": media.shows_minors,
        "consent_recorded": media.consent_recorded,
    }


@transaction.atomic
def add_media(
    post: Post,
    *,
    actor: Person,
    file: UploadedFile,
    description: str = "",
    captions: UploadedFile | None = None,
    shows_minors: bool = False,
    consent_recorded: bool = False,
    request=None,
) -> Media:
    """Store an image or video for ``post`` after checking it against every selected channel.

    The description (A11Y-1) and captions (A11Y-2) may come later; submission requires them.
    """
    _require(may_write(actor, post))
    _require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    file.seek(0)
    mime = sniff_mime(file.read(16))
    file.seek(0)
    if not mime:
        raise ValidationError({"file": _("Upload a JPEG, PNG, GIF or WebP image, or an MP4 or WebM video.")})
    kind = MediaKind.VIDEO if mime.startswith("video/") else MediaKind.IMAGE
    problems = _media_fit_problems(post.channels.all(), kind, mime, file.size)
    if problems:
        raise ValidationError({"file": problems})
    _check_captions(captions)
    _check_minors(shows_minors, consent_recorded)
    media = Media.objects.create(
        organisation=post.organisation,
        post=post,
        file=file,
        kind=kind,
        mime=mime,
        size=file.size,
        description=description.strip(),
        captions=captions,
        shows_minors=shows_minors,
        consent_recorded=consent_recorded,
        position=post.media.count(),
        uploaded_by=actor,
    )
    audit.record(
        "post.media_added",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes=audit.diff({}, _media_state(media)),
        details={"mime": mime, "size": file.size},
        request=request,
    )
    return media


@transaction.atomic
def update_media(
    media: Media,
    *,
    actor: Person,
    description: str,
    shows_minors: bool,
    consent_recorded: bool,
    captions: UploadedFile | None = None,
    request=None,
) -> Media:
    post = media.post
    _require(may_write(actor, post))
    _require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    _check_captions(captions)
    _check_minors(shows_minors, consent_recorded)
    before = _media_state(media)
    media.description = description.strip()
    media.shows_minors, media.consent_recorded = shows_minors, consent_recorded
    if captions is not None:
        media.captions = captions
    media.save()
    audit.record(
        "post.media_changed",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes=audit.diff(before, _media_state(media)),
        request=request,
    )
    return media


@transaction.atomic
def remove_media(media: Media, *, actor: Person, request=None) -> None:
    post = media.post
    _require(may_write(actor, post))
    _require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    audit.record(
        "post.media_removed",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes=audit.diff(_media_state(media), {}),
        request=request,
    )
    # The stored file stays: the audit entry names it and an archive may need it.
    media.delete()


# Review ----------------------------------------------------------------------------------------


def submission_problems(post: Post) -> list[str]:
    """Everything that keeps ``post`` from going to review or out, in the person's language."""
    problems = []
    organisation = post.organisation
    channels = list(post.channels.all())
    if not channels:
        problems.append(_("Choose at least one channel."))
    texts = dict(post.texts.values_list("language", "body"))
    labels = dict(PostText._meta.get_field("language").choices)
    for language in organisation.official_languages:
        if not texts.get(language, "").strip():
            problems.append(
                _("The %(language)s version is missing: every official language needs its text (LANG-1).")
                % {"language": labels.get(language, language)}
            )
    for variant in post.variants.select_related("channel"):
        connector = variant.channel.get_connector()
        try:
            adapt(variant.body, connector.limits, connector.capabilities)
        except AdaptationError as error:
            problems.append(
                _("%(channel)s, %(language)s: %(reason)s")
                % {"channel": variant.channel.name, "language": variant.language, "reason": error.message}
            )
    for media in post.media.all():
        name = media.filename
        if media.kind == MediaKind.IMAGE and not media.description.strip():
            problems.append(_("The image %(name)s needs a text description (A11Y-1).") % {"name": name})
        if media.kind == MediaKind.VIDEO and not media.captions:
            problems.append(_("The video %(name)s needs a captions file (A11Y-2).") % {"name": name})
        if media.shows_minors and not media.consent_recorded:
            problems.append(_("%(name)s shows children without recorded consent (DATA-3).") % {"name": name})
        problems.extend(_media_fit_problems(channels, media.kind, media.mime, media.size))
        for channel in channels:
            longest = channel.get_connector().limits.max_alt_text
            if longest is not None and len(media.description) > longest:
                problems.append(
                    _("The description of %(name)s is longer than %(channel)s allows (%(limit)d characters).")
                    % {"name": name, "limit": longest, "channel": channel.name}
                )
    return problems


def _check_ready(post: Post) -> None:
    problems = submission_problems(post)
    if problems:
        raise ValidationError(problems)


def _transition(post: Post, action: str, actor: Person, before: str, request=None, **details) -> None:
    audit.record(
        action,
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes={"state": [before, post.state]},
        details=details,
        request=request,
    )


@transaction.atomic
def submit(post: Post, *, actor: Person, request=None) -> Post:
    """Send a ready draft to review, or straight to approved when the policy needs no approval."""
    _require(may_write(actor, post))
    _require_state(post, SUBMITTABLE_STATES, _("A post that is “%(state)s” cannot be submitted."))
    _check_ready(post)
    before = post.state
    automatic = not needs_approval(post)
    post.state = PostState.APPROVED if automatic else PostState.IN_REVIEW
    post.approved_by, post.approved_at = None, timezone.now() if automatic else None
    post.review_comment = ""
    post.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
    _transition(post, "post.submitted", actor, before, request, approval_needed=not automatic)
    return post


def _check_reviewer(post: Post, actor: Person) -> None:
    _require(role_of(actor, post.organisation).at_least(Role.APPROVER))
    if policy_for(post.organisation).four_eyes and post.author_id == actor.pk:
        raise ValidationError(_("Someone other than the author must review this post (four eyes)."))


@transaction.atomic
def approve(post: Post, *, actor: Person, comment: str = "", request=None) -> Post:
    _check_reviewer(post, actor)
    _require_state(post, (PostState.IN_REVIEW,), _("A post that is “%(state)s” cannot be approved."))
    _check_ready(post)
    before = post.state
    post.state, post.approved_by, post.approved_at = PostState.APPROVED, actor, timezone.now()
    post.review_comment = comment.strip()
    post.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
    _transition(post, "post.approved", actor, before, request, comment=post.review_comment)
    return post


@transaction.atomic
def reject(post: Post, *, actor: Person, comment: str, request=None) -> Post:
    _check_reviewer(post, actor)
    _require_state(post, (PostState.IN_REVIEW,), _("A post that is “%(state)s” cannot be rejected."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the post is rejected, so its author can fix it.")})
    before = post.state
    post.state, post.review_comment = PostState.REJECTED, comment.strip()
    post.save(update_fields=["state", "review_comment"])
    _transition(post, "post.rejected", actor, before, request, comment=post.review_comment)
    return post


# Scheduling ------------------------------------------------------------------------------------


def local_to_utc(organisation: Organisation, local: datetime, fold: int | None = None) -> datetime:
    """A wall-clock time of the organisation as a UTC instant (see :mod:`.localtime`)."""
    return localtime.to_utc(local, ZoneInfo(organisation.time_zone), fold)


def _queue(post: Post, due_at: datetime) -> list[Publication]:
    """Point the post's waiting publications at ``due_at``, creating one per variant if none."""
    waiting = post.publications.filter(state__in=WAITING_STATES)
    if waiting.exists():
        waiting.update(due_at=due_at)
        return list(waiting)
    if post.publications.exists():
        raise ValidationError(_("This post has already gone out; it cannot be scheduled again."))
    held = is_paused(post.organisation) and not post.is_emergency
    state = PublicationState.PAUSED if held else PublicationState.QUEUED
    return [
        Publication.objects.create(
            organisation=post.organisation,
            post=post,
            variant=variant,
            channel=variant.channel,
            state=state,
            due_at=due_at,
        )
        for variant in post.variants.select_related("channel")
    ]


def _check_scheduler(post: Post, actor: Person) -> None:
    _require(role_of(actor, post.organisation).at_least(Role.EDITOR))
    _require_state(
        post, (PostState.APPROVED, PostState.SCHEDULED), _("A post that is “%(state)s” cannot be scheduled.")
    )
    if post.publications.exclude(state__in=WAITING_STATES).exists():
        raise ValidationError(_("This post is already being sent; it cannot be scheduled again."))
    _check_ready(post)


@transaction.atomic
def schedule(post: Post, *, actor: Person, local: datetime, fold: int | None = None, request=None) -> Post:
    """Schedule an approved post for the organisation's wall-clock time ``local``.

    Raises :class:`localtime.NonexistentLocalTime` and :class:`localtime.AmbiguousLocalTime`
    for the days clocks change; a time already past is refused.
    """
    _check_scheduler(post, actor)
    due_at = local_to_utc(post.organisation, local, fold)
    if due_at <= timezone.now():
        raise ValidationError(
            {"when": _("That time has already passed. Choose a later time or publish now.")}
        )
    before = post.state
    post.state, post.scheduled_at = PostState.SCHEDULED, due_at
    post.save(update_fields=["state", "scheduled_at"])
    publications = _queue(post, due_at)
    _transition(post, "post.scheduled", actor, before, request, due_at=due_at, publications=len(publications))
    return post


@transaction.atomic
def publish_now(post: Post, *, actor: Person, request=None) -> Post:
    """Queue an approved post to go out as soon as a worker picks it up."""
    _check_scheduler(post, actor)
    now = timezone.now()
    before = post.state
    post.state, post.scheduled_at = PostState.SCHEDULED, now
    post.save(update_fields=["state", "scheduled_at"])
    publications = _queue(post, now)
    _transition(post, "post.publish_now", actor, before, request, publications=len(publications))
    return post


@transaction.atomic
def withdraw(post: Post, *, actor: Person, reason: str = "", request=None) -> Post:
    """Withdraw a post that has not reached any network, cancelling what was waiting to go.

    Contributors may withdraw their departments' posts until they are approved; editors
    and above any post. A publication the dispatcher has already claimed makes it fail.
    """
    _require(may_write(actor, post))
    role = role_of(actor, post.organisation)
    if not role.at_least(Role.EDITOR):
        _require(post.state in (PostState.DRAFT, PostState.IN_REVIEW, PostState.REJECTED))
    _require_state(post, WITHDRAWABLE_STATES, _("A post that is “%(state)s” cannot be withdrawn."))
    cancelled = post.publications.filter(state__in=WAITING_STATES, remote_parts=[]).update(
        state=PublicationState.CANCELLED
    )
    # Re-read after the conditional update: a worker may have claimed one in between.
    if post.publications.exclude(state=PublicationState.CANCELLED).exists():
        raise ValidationError(
            _("Part of this post is already being sent or has gone out; it cannot be withdrawn.")
        )
    before = post.state
    post.state = PostState.WITHDRAWN
    post.review_comment = reason.strip() or post.review_comment
    post.save(update_fields=["state", "review_comment"])
    _transition(post, "post.withdrawn", actor, before, request, reason=reason.strip(), cancelled=cancelled)
    return post


# Policy and the emergency switch (CRISIS-1) ----------------------------------------------------


@transaction.atomic
def update_policy(
    organisation: Organisation,
    *,
    actor: Person,
    approval: str,
    approval_categories: list[str],
    approval_channels: Iterable[Channel],
    four_eyes: bool,
    request=None,
) -> PublishingPolicy:
    _require(role_of(actor, organisation) == Role.ADMIN)
    channels = list(approval_channels)
    if any(channel.organisation_id != organisation.pk for channel in channels):
        raise ValidationError({"approval_channels": _("Choose channels of this organisation.")})
    policy = policy_for(organisation)

    def state() -> dict:
        return {
            "approval": policy.approval,
            "approval_categories": sorted(policy.approval_categories),
            "approval_channels": sorted(policy.approval_channels.values_list("name", flat=True)),
            "four_eyes": policy.four_eyes,
        }

    before = state()
    policy.approval, policy.approval_categories, policy.four_eyes = (
        approval,
        list(approval_categories),
        four_eyes,
    )
    policy.save()
    policy.approval_channels.set(channels)
    changes = audit.diff(before, state())
    if changes:
        audit.record(
            "publishing.policy_changed",
            actor=actor,
            organisation=organisation,
            obj=policy,
            changes=changes,
            request=request,
        )
    return policy


def _subtree_ids(organisation: Organisation) -> list[int]:
    return list(organisation.descendants().values_list("pk", flat=True))


def paused_publications(organisation: Organisation):
    """Publications held by the emergency switch in this organisation and those below it."""
    return (
        Publication.objects.filter(
            organisation_id__in=_subtree_ids(organisation), state=PublicationState.PAUSED
        )
        .select_related("post", "channel", "organisation", "variant")
        .order_by("due_at", "pk")
    )


@transaction.atomic
def pause_organisation(
    organisation: Organisation, actor: Person, reason: str, request=None
) -> list[Publication]:
    """Hold every waiting publication of non-emergency posts here and below; return what was held.

    Publications scheduled while the switch is on are created held (:func:`_queue`).
    Emergency posts keep going out.
    """
    _require(role_of(actor, organisation) == Role.ADMIN)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why publishing is paused; it is recorded.")})
    policy = PublishingPolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
    if policy.paused_at is not None:
        raise ValidationError(_("Publishing is already paused."))
    policy.paused_at, policy.paused_by, policy.pause_reason = timezone.now(), actor, reason.strip()
    policy.save(update_fields=["paused_at", "paused_by", "pause_reason"])
    waiting = Publication.objects.filter(
        organisation_id__in=_subtree_ids(organisation), state__in=DUE_STATES
    ).exclude(post__category=Category.EMERGENCY)
    ids = list(waiting.values_list("pk", flat=True))
    # Conditional on the state: one a worker claimed meanwhile is sending, not paused.
    Publication.objects.filter(pk__in=ids, state__in=DUE_STATES).update(state=PublicationState.PAUSED)
    paused = list(paused_publications(organisation).filter(pk__in=ids))
    _record_emergency("publishing.paused", organisation, actor, paused, request, reason=policy.pause_reason)
    return paused


RESCHEDULE_KEEP, RESCHEDULE_SHIFT, RESCHEDULE_NEW = "keep", "shift", "new"


@transaction.atomic
def resume_organisation(
    organisation: Organisation,
    actor: Person,
    reschedule: str = RESCHEDULE_KEEP,
    new_time: datetime | None = None,
    fold: int | None = None,
    request=None,
) -> list[Publication]:
    """Release what the switch held, here and below, and return it.

    ``reschedule``: "keep" the times (those already past go out at once), "shift" every
    time by how long the pause lasted, or a "new" local time ``new_time`` for all. An
    organisation below that pressed its own switch stays paused.
    """
    _require(role_of(actor, organisation) == Role.ADMIN)
    policy = PublishingPolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
    if policy.paused_at is None:
        raise ValidationError(_("Publishing is not paused."))
    now = timezone.now()
    due_at = None
    if reschedule == RESCHEDULE_NEW:
        if new_time is None:
            raise ValidationError({"new_time": _("Give the new time.")})
        due_at = local_to_utc(organisation, new_time, fold)
        if due_at <= now:
            raise ValidationError({"new_time": _("That time has already passed.")})
    elif reschedule not in (RESCHEDULE_KEEP, RESCHEDULE_SHIFT):
        raise ValidationError(_("Choose how to reschedule."))
    held = paused_publications(organisation)
    still_paused = PublishingPolicy.objects.filter(
        organisation__path__startswith=organisation.path, paused_at__isnull=False
    ).exclude(organisation=organisation)
    for other in still_paused.select_related("organisation"):
        held = held.exclude(organisation__path__startswith=other.organisation.path)
    held = list(held)
    ids = [publication.pk for publication in held]
    released = Publication.objects.filter(pk__in=ids, state=PublicationState.PAUSED)
    if reschedule == RESCHEDULE_SHIFT:
        delta = now - policy.paused_at
        released.update(state=PublicationState.QUEUED, due_at=F("due_at") + delta)
        Post.objects.filter(pk__in={p.post_id for p in held}, scheduled_at__isnull=False).update(
            scheduled_at=F("scheduled_at") + delta
        )
    elif reschedule == RESCHEDULE_NEW:
        released.update(state=PublicationState.QUEUED, due_at=due_at)
        Post.objects.filter(pk__in={p.post_id for p in held}).update(scheduled_at=due_at)
    else:
        released.update(state=PublicationState.QUEUED)
    paused_at = policy.paused_at
    policy.paused_at, policy.paused_by, policy.pause_reason = None, None, ""
    policy.save(update_fields=["paused_at", "paused_by", "pause_reason"])
    resumed = list(Publication.objects.filter(pk__in=ids).select_related("post", "channel", "organisation"))
    _record_emergency(
        "publishing.resumed",
        organisation,
        actor,
        resumed,
        request,
        reschedule=reschedule,
        paused_since=paused_at,
    )
    return resumed


def _record_emergency(
    action: str, organisation: Organisation, actor: Person, publications, request, **details
):
    """One entry in the organisation's chain and one in each organisation below that was affected."""
    audit.record(
        action,
        actor=actor,
        organisation=organisation,
        obj=policy_for(organisation),
        object_repr=organisation.name,
        details={**details, "publications": [p.pk for p in publications]},
        request=request,
    )
    affected = {p.organisation for p in publications if p.organisation_id != organisation.pk}
    for other in sorted(affected, key=lambda item: item.pk):
        audit.record(
            action,
            actor=actor,
            organisation=other,
            obj=policy_for(other),
            object_repr=other.name,
            details={
                **details,
                "by_organisation": organisation.name,
                "publications": [p.pk for p in publications if p.organisation_id == other.pk],
            },
            request=request,
        )


def revisions_with_diffs(post: Post) -> list[dict]:
    """The history of ``post``, newest first, each revision with its text changes."""
    from pregonero.publishing.diff import word_diff

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


def publications_of(post: Post):
    return post.publications.select_related("channel", "variant").prefetch_related("attempts")


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


def post_time_in(organisation: Organisation, instant: datetime | None) -> datetime | None:
    return instant.astimezone(ZoneInfo(organisation.time_zone)) if instant else None


def default_schedule_time(organisation: Organisation) -> datetime:
    """Tomorrow at 10:00 local time: a sensible first value for the schedule form."""
    today = timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=10)


def compose_preview(
    organisation: Organisation, channels: Iterable[Channel], texts: dict[str, str]
) -> list[dict]:
    """What each channel would publish in each language, for the composer; writes nothing."""
    from pregonero.publishing.adapt import preview

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


def allowed_actions(post: Post, actor: Person) -> set[str]:
    """The actions whose buttons ``actor`` should see on ``post`` (the services decide again)."""
    role = effective_role(actor, post.organisation)
    if role is None:
        return set()
    actions = set()
    writer = may_write(actor, post)
    if writer and post.state in EDITABLE_STATES:
        actions |= {"edit", "media"}
    if writer and post.state in SUBMITTABLE_STATES:
        actions.add("submit")
    reviewer = role.at_least(Role.APPROVER)
    four_eyes_blocks = policy_for(post.organisation).four_eyes and post.author_id == actor.pk
    if reviewer and post.state == PostState.IN_REVIEW and not four_eyes_blocks:
        actions.add("review")
    if role.at_least(Role.EDITOR) and post.state in (PostState.APPROVED, PostState.SCHEDULED):
        actions |= {"schedule", "publish_now"}
    withdrawable = (
        WITHDRAWABLE_STATES if role.at_least(Role.EDITOR) else SUBMITTABLE_STATES + (PostState.IN_REVIEW,)
    )
    if writer and post.state in withdrawable:
        actions.add("withdraw")
    return actions


def texts_in_order(post: Post) -> list[PostText]:
    """The post's texts in the organisation's language order (LANG-1: which goes first)."""
    order = {language: index for index, language in enumerate(post.organisation.official_languages)}
    return sorted(post.texts.all(), key=lambda text: order.get(text.language, len(order)))
