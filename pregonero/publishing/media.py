"""Images and videos of a post: uploads, their checks against each channel, descriptions.

A file is recognised by its first bytes, not its name. Descriptions (A11Y-1), captions
(A11Y-2) and the consent for images of children (DATA-3) are checked here on upload and
again by :func:`.review.submission_problems` before a post may go out.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pregonero.accounts.models import Person
from pregonero.audit import services as audit
from pregonero.channels.models import Channel
from pregonero.publishing.models import Media, MediaKind, Post
from pregonero.publishing.rules import EDITABLE_STATES, may_write, require, require_state
from pregonero.publishing.storage import storing_files

IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
CAPTION_EXTENSIONS = (".vtt", ".srt")
MAX_CAPTIONS_BYTES = 1_000_000


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


def media_fit_problems(channels: Iterable[Channel], kind: str, mime: str, size: int) -> list[str]:
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
    require(may_write(actor, post))
    require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    file.seek(0)
    mime = sniff_mime(file.read(16))
    file.seek(0)
    if not mime:
        raise ValidationError({"file": _("Upload a JPEG, PNG, GIF or WebP image, or an MP4 or WebM video.")})
    kind = MediaKind.VIDEO if mime.startswith("video/") else MediaKind.IMAGE
    problems = media_fit_problems(post.channels.all(), kind, mime, file.size)
    if problems:
        raise ValidationError({"file": problems})
    _check_captions(captions)
    _check_minors(shows_minors, consent_recorded)
    with storing_files():
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
    require(may_write(actor, post))
    require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
    _check_captions(captions)
    _check_minors(shows_minors, consent_recorded)
    before = _media_state(media)
    media.description = description.strip()
    media.shows_minors, media.consent_recorded = shows_minors, consent_recorded
    if captions is not None:
        media.captions = captions
    with storing_files():
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
    require(may_write(actor, post))
    require_state(post, EDITABLE_STATES, _("A post that is “%(state)s” can no longer be edited."))
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
