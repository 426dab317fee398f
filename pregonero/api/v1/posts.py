"""Posts: write drafts with their language versions, media and variants, and take them through
review, scheduling and withdrawal with the publishing services the interface uses."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Path, Query, Router, UploadedFile
from pydantic import Field

from pregonero.accounts.models import Department
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in
from pregonero.api import pagination
from pregonero.api.access import reach
from pregonero.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from pregonero.api.idempotency import run_once
from pregonero.api.models import Access, Resource
from pregonero.api.problems import Problem, field_error, from_validation_error
from pregonero.api.schemas import (
    CategoryCode,
    Instant,
    LanguageCode,
    MediaOut,
    PostIn,
    PostOut,
    PostPage,
    PostPatch,
    PostStateCode,
    PostSummary,
    ReviewIn,
    ScheduleIn,
    VariantIn,
    WithdrawIn,
)
from pregonero.api.v1 import ID, IDEMPOTENCY_KEY, answers, json_answer
from pregonero.channels.models import Channel
from pregonero.publishing import localtime, media, review, scheduling, services
from pregonero.publishing.models import Post, Variant

router = Router()

POST_ID = Path(..., **ID)
REQUIRED_IDEMPOTENCY_KEY = Header(
    ...,
    alias=IDEMPOTENCY_HEADER,
    description="Required. Any unique string (a UUID): a retry with the same key gets the first reply "
    "and creates nothing.",
)
MEDIA_FILE = File(..., description="JPEG, PNG, GIF or WebP image, or MP4 or WebM video.")
MEDIA_DESCRIPTION = Form("", max_length=5000, description="What the image shows (A11Y-1).")
MEDIA_SHOWS_MINORS = Form(False, description="The image shows children under 14 (DATA-3).")
MEDIA_CONSENT = Form(False, description="Their parents' or guardians' consent is recorded.")
MEDIA_CAPTIONS = File(None, description="WebVTT or SubRip captions for a video (A11Y-2).")
IF_MATCH = Header(
    None, alias="If-Match", description="Required: the ETag of the post as last read (412 if it changed)."
)


def etag(post: Post) -> str:
    """Names the revision of the post's content: any saved edit changes it."""
    return f'"{post.pk}-{post.revision}"'


def _post_reply(post: Post, status: int = 200, *, created: bool = False) -> HttpResponse:
    headers = {"ETag": etag(post)}
    if created:
        headers["Location"] = reverse("api:get_post", args=[post.organisation.slug, post.pk])
    return json_answer(status, PostOut.of(post), headers)


def _find_post(request, organisation: str, post_id: int, access: str = Access.READ) -> Post:
    minimum = Role.CONTRIBUTOR if access == Access.WRITE else Role.READER
    found = reach(request, organisation, Resource.POSTS, access, minimum)
    return object_in(Post.objects.select_related("organisation"), found, pk=post_id)


def _department(organisation, pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(organisation=organisation, pk=pk).first()
    if department is None:
        raise field_error("department", _("Choose a department of this organisation."))
    return department


def _channels(organisation, ids: list[int]) -> list[Channel]:
    channels = list(Channel.objects.filter(organisation=organisation, pk__in=ids))
    if len(channels) != len(set(ids)):
        raise field_error("channels", _("Choose active channels of this organisation."))
    return channels


class PostFilters(pagination.PageParams):
    state: PostStateCode | None = None
    category: CategoryCode | None = None
    department: int | None = Field(None, **ID)
    channel: int | None = Field(None, **ID)
    language: LanguageCode | None = Field(None, description="Posts with a text in this language.")
    updated_since: Instant | None = Field(None, description="Posts changed at or after this time.")


@router.get("/{organisation}/posts", response=answers(s200=PostPage), summary="Posts, newest first")
def list_posts(request, organisation: str, filters: Query[PostFilters]):
    found = reach(request, organisation, Resource.POSTS)
    condition = services.filter_posts(
        found,
        state=filters.state,
        category=filters.category,
        department=filters.department,
        channel=filters.channel,
        language=filters.language,
    )
    if filters.updated_since:
        condition &= Q(updated_at__gte=filters.updated_since)
    rows, following = pagination.page(
        Post.objects.filter(condition).distinct(), filters.cursor, filters.limit
    )
    return PostPage(items=[PostSummary.of(row) for row in rows], next_cursor=following)


@router.post("/{organisation}/posts", response=answers(s201=PostOut), summary="Create a draft")
def create_post(
    request,
    organisation: str,
    payload: PostIn,
    idempotency_key: str = REQUIRED_IDEMPOTENCY_KEY,
):
    """A draft with its language versions, channels and department; the variants for each
    channel and language are adapted at once (read them in the reply)."""

    def create() -> HttpResponse:
        found = reach(request, organisation, Resource.POSTS, Access.WRITE, Role.CONTRIBUTOR)
        post = services.create_post(
            found,
            actor=request.actor,
            title=payload.title,
            department=_department(found, payload.department),
            category=payload.category,
            tags=payload.tags,
            channels=_channels(found, payload.channels),
            texts=dict(payload.texts),
            request=request,
        )
        return _post_reply(post, 201, created=True)

    return run_once(request, idempotency_key, create)


@router.get(
    "/{organisation}/posts/{post_id}",
    response=answers(s200=PostOut),
    summary="A post, whole",
    url_name="get_post",
)
def get_post(request, organisation: str, post_id: int = POST_ID):
    """Texts, variants, media, publications and state. The ``ETag`` header is what
    ``If-Match`` of an update must carry."""
    return _post_reply(_find_post(request, organisation, post_id))


def _revision_from(header: str | None, post: Post) -> int:
    if header is None:
        raise Problem(
            428,
            _("Send the post's ETag in an If-Match header, so an edit never overwrites another."),
            kind="precondition-required",
        )
    value = header.strip()
    if value == "*":
        return post.revision
    pk, _sep, revision = value.strip('"').partition("-")
    if value.startswith("W/") or pk != str(post.pk) or not revision.isdigit():
        raise _changed(post)
    return int(revision)


def _changed(post: Post) -> Problem:
    post.refresh_from_db()
    return Problem(
        412,
        _("The post changed since you read it; read it again and apply your change to the new version."),
        kind="precondition-failed",
        headers={"ETag": etag(post)},
        current_etag=etag(post),
    )


@router.patch("/{organisation}/posts/{post_id}", response=answers(s200=PostOut), summary="Edit a post")
def update_post(
    request, organisation: str, payload: PostPatch, post_id: int = POST_ID, if_match: str | None = IF_MATCH
):
    """Fields left out keep their value. Needs ``If-Match`` with the post's ``ETag`` (428
    without it, 412 when someone saved the post meanwhile). Saving an approved post sends it
    back to draft, as in the interface."""
    post = _find_post(request, organisation, post_id, Access.WRITE)
    revision = _revision_from(if_match, post)
    current = services.snapshot(post)
    texts = dict(current["texts"])
    texts.update(payload.texts or {})
    department = current["department"] if "department" not in payload.model_fields_set else payload.department
    try:
        post = services.save_post(
            post,
            actor=request.actor,
            revision=revision,
            title=current["title"] if payload.title is None else payload.title,
            department=_department(post.organisation, department),
            category=payload.category or current["category"],
            tags=current["tags"] if payload.tags is None else payload.tags,
            channels=post.channels.all()
            if payload.channels is None
            else _channels(post.organisation, payload.channels),
            texts=texts,
            request=request,
        )
    except services.StaleEdit:
        raise _changed(post) from None
    return _post_reply(post)


@router.put(
    "/{organisation}/posts/{post_id}/variants/{variant_id}",
    response=answers(s200=PostOut),
    summary="Replace the text for one channel and language",
)
def edit_variant(
    request, organisation: str, payload: VariantIn, post_id: int = POST_ID, variant_id: int = Path(..., **ID)
):
    post = _find_post(request, organisation, post_id, Access.WRITE)
    variant = Variant.objects.filter(post=post, pk=variant_id).select_related("channel").first()
    if variant is None:
        raise Problem(404, _("Not found."))
    try:
        services.edit_variant(variant, actor=request.actor, body=payload.body, request=request)
    except ValidationError as error:
        raise from_validation_error(error) from None
    return _post_reply(post)


@router.post(
    "/{organisation}/posts/{post_id}/media",
    response=answers(s201=MediaOut),
    summary="Upload an image or video",
)
def upload_media(
    request,
    organisation: str,
    post_id: int = POST_ID,
    file: UploadedFile = MEDIA_FILE,
    description: str = MEDIA_DESCRIPTION,
    shows_minors: bool = MEDIA_SHOWS_MINORS,
    consent_recorded: bool = MEDIA_CONSENT,
    captions: UploadedFile | None = MEDIA_CAPTIONS,
    idempotency_key: str = REQUIRED_IDEMPOTENCY_KEY,
):
    """``multipart/form-data``; checked against every channel of the post."""

    def upload() -> HttpResponse:
        post = _find_post(request, organisation, post_id, Access.WRITE)
        if "\x00" in description:
            raise field_error("description", _("Null characters are not allowed."))
        added = media.add_media(
            post,
            actor=request.actor,
            file=file,
            description=description,
            captions=captions,
            shows_minors=shows_minors,
            consent_recorded=consent_recorded,
            request=request,
        )
        return json_answer(201, MediaOut.of(added), {"ETag": etag(post)})

    return run_once(request, idempotency_key, upload)


def _act(
    request: HttpRequest, organisation: str, post_id: int, key: str | None, action: Callable[[Post], object]
):
    def act() -> HttpResponse:
        post = _find_post(request, organisation, post_id, Access.WRITE)
        action(post)
        return _post_reply(post)

    return run_once(request, key, act)


@router.post(
    "/{organisation}/posts/{post_id}/submit", response=answers(s200=PostOut), summary="Send to review"
)
def submit(request, organisation: str, post_id: int = POST_ID, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """To review, or straight to approved when the organisation's policy needs no approval."""
    return _act(
        request,
        organisation,
        post_id,
        idempotency_key,
        lambda post: review.submit(post, actor=request.actor, request=request),
    )


@router.post("/{organisation}/posts/{post_id}/approve", response=answers(s200=PostOut), summary="Approve")
def approve(
    request,
    organisation: str,
    payload: ReviewIn,
    post_id: int = POST_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Approver tokens only; the token's creator must not be the post's author (four eyes)."""
    return _act(
        request,
        organisation,
        post_id,
        idempotency_key,
        lambda post: review.approve(post, actor=request.actor, comment=payload.comment, request=request),
    )


@router.post("/{organisation}/posts/{post_id}/reject", response=answers(s200=PostOut), summary="Reject")
def reject(
    request,
    organisation: str,
    payload: ReviewIn,
    post_id: int = POST_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Approver tokens only; ``comment`` says why, for the author."""
    return _act(
        request,
        organisation,
        post_id,
        idempotency_key,
        lambda post: review.reject(post, actor=request.actor, comment=payload.comment, request=request),
    )


def _schedule(request, post: Post, payload: ScheduleIn) -> None:
    if (payload.at is None) == (payload.local_time is None):
        raise field_error("at", _("Give either “at” (with its zone) or “local_time”, not both."))
    if payload.at is not None:
        field = "at"
        local = payload.at.astimezone(ZoneInfo(post.organisation.time_zone))
        naive, fold = local.replace(tzinfo=None), local.fold
    else:
        field = "local_time"
        if payload.local_time.tzinfo is not None:
            raise field_error(field, _("Give the local time without an offset, or use “at”."))
        naive, fold = payload.local_time, payload.fold
    try:
        scheduling.schedule(post, actor=request.actor, local=naive, fold=fold, request=request)
    except localtime.NonexistentLocalTime as error:
        raise field_error(field, error.messages[0], suggestion=error.suggestion.isoformat()) from None
    except localtime.AmbiguousLocalTime as error:
        raise field_error(
            field, error.messages[0], choices=[choice.isoformat() for choice in error.choices]
        ) from None
    except ValidationError as error:
        raise from_validation_error(error, {"when": field}) from None


@router.post("/{organisation}/posts/{post_id}/schedule", response=answers(s200=PostOut), summary="Schedule")
def schedule(
    request,
    organisation: str,
    payload: ScheduleIn,
    post_id: int = POST_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """An approved post, at ``at`` (ISO 8601 with zone) or at ``local_time`` in the organisation's
    zone. On the days clocks change, a local time that does not exist is refused with the
    next valid one (``suggestion``) and one that happens twice needs ``fold`` (``choices``)."""
    return _act(
        request, organisation, post_id, idempotency_key, lambda post: _schedule(request, post, payload)
    )


@router.post(
    "/{organisation}/posts/{post_id}/publish-now", response=answers(s200=PostOut), summary="Publish now"
)
def publish_now(
    request, organisation: str, post_id: int = POST_ID, idempotency_key: str | None = IDEMPOTENCY_KEY
):
    return _act(
        request,
        organisation,
        post_id,
        idempotency_key,
        lambda post: scheduling.publish_now(post, actor=request.actor, request=request),
    )


@router.post("/{organisation}/posts/{post_id}/withdraw", response=answers(s200=PostOut), summary="Withdraw")
def withdraw(
    request,
    organisation: str,
    payload: WithdrawIn,
    post_id: int = POST_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """A post that has not reached any network; what was waiting to go is cancelled."""
    return _act(
        request,
        organisation,
        post_id,
        idempotency_key,
        lambda post: review.withdraw(post, actor=request.actor, reason=payload.reason, request=request),
    )
