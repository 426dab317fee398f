"""Scheduling: when an approved post goes out, and the publications that carry it.

Times are the organisation's wall-clock times (:mod:`.localtime` settles the days clocks
change); :mod:`.dispatch` sends the publications created here when they are due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.channels.connectors import connector_class
from pregonero.publishing import localtime
from pregonero.publishing import tasks as publishing_tasks
from pregonero.publishing.models import Post, PostState, Publication, PublicationState
from pregonero.publishing.review import check_ready, transition
from pregonero.publishing.rules import WAITING_STATES, is_paused, require, require_state, role_of


def local_to_utc(organisation: Organisation, local: datetime, fold: int | None = None) -> datetime:
    """A wall-clock time of the organisation as a UTC instant (see :mod:`.localtime`)."""
    return localtime.to_utc(local, ZoneInfo(organisation.time_zone), fold)


def _due_on(channel, due_at: datetime) -> datetime:
    """When the publication on ``channel`` falls due for a post timed at ``due_at``."""
    return due_at + connector_class(channel.connector).publish_after


def _queue(post: Post, due_at: datetime) -> list[Publication]:
    """Point the post's waiting publications at ``due_at``, creating one per variant if none."""
    waiting = list(post.publications.filter(state__in=WAITING_STATES).select_related("channel"))
    if waiting:
        for publication in waiting:
            publication.due_at = _due_on(publication.channel, due_at)
        Publication.objects.bulk_update(waiting, ["due_at"])
        return waiting
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
            due_at=_due_on(variant.channel, due_at),
        )
        for variant in post.variants.select_related("channel")
    ]


def _check_scheduler(post: Post, actor: Person) -> None:
    require(role_of(actor, post.organisation).at_least(Role.EDITOR))
    require_state(
        post, (PostState.APPROVED, PostState.SCHEDULED), _("A post that is “%(state)s” cannot be scheduled.")
    )
    if post.publications.exclude(state__in=WAITING_STATES).exists():
        raise ValidationError(_("This post is already being sent; it cannot be scheduled again."))


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
    # The checks judge the post at the time it goes out: that decides the election phase.
    check_ready(post, when=due_at)
    before = post.state
    post.state, post.scheduled_at = PostState.SCHEDULED, due_at
    post.save(update_fields=["state", "scheduled_at"])
    publications = _queue(post, due_at)
    transition(post, "post.scheduled", actor, before, request, due_at=due_at, publications=len(publications))
    return post


@transaction.atomic
def publish_now(post: Post, *, actor: Person, request=None) -> Post:
    """Queue an approved post to go out as soon as a worker picks it up."""
    _check_scheduler(post, actor)
    now = timezone.now()
    check_ready(post, when=now)
    before = post.state
    post.state, post.scheduled_at = PostState.SCHEDULED, now
    post.save(update_fields=["state", "scheduled_at"])
    publications = _queue(post, now)
    transition(post, "post.publish_now", actor, before, request, publications=len(publications))
    # Send on the worker's next poll rather than at the clock's next tick (up to 30 s later).
    transaction.on_commit(publishing_tasks.dispatch_due.enqueue)
    return post


# Posts not yet scheduled may carry a planned time: the calendar shows it, scheduling offers it.
PLANNABLE_STATES = (PostState.DRAFT, PostState.IN_REVIEW, PostState.APPROVED, PostState.REJECTED)


@transaction.atomic
def plan(post: Post, *, actor: Person, local: datetime, fold: int | None = None, request=None) -> Post:
    """Give a post that is not scheduled yet the wall-clock time it is meant to go out at.

    Nothing is queued and the state does not change: the time is a plan, for the editorial
    calendar and as the first value of the schedule form. Same refusals as :func:`schedule`
    for the days clocks change and for times already past.
    """
    require(role_of(actor, post.organisation).at_least(Role.EDITOR))
    require_state(post, PLANNABLE_STATES, _("A post that is “%(state)s” cannot be given a time."))
    planned_at = local_to_utc(post.organisation, local, fold)
    if planned_at <= timezone.now():
        raise ValidationError({"when": _("That time has already passed. Choose a later time.")})
    before = post.scheduled_at
    post.scheduled_at = planned_at
    post.save(update_fields=["scheduled_at"])
    audit.record(
        "post.planned",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes=audit.diff({"scheduled_at": before}, {"scheduled_at": planned_at}),
        request=request,
    )
    return post


def reschedule(post: Post, *, actor: Person, local: datetime, fold: int | None = None, request=None) -> Post:
    """Move a post to another time: a scheduled post is scheduled again (its waiting
    publications follow it), a post not yet scheduled keeps its state and gets the time as its plan."""
    if post.state == PostState.SCHEDULED:
        return schedule(post, actor=actor, local=local, fold=fold, request=request)
    return plan(post, actor=actor, local=local, fold=fold, request=request)


def post_time_in(organisation: Organisation, instant: datetime | None) -> datetime | None:
    return instant.astimezone(ZoneInfo(organisation.time_zone)) if instant else None


def default_schedule_time(organisation: Organisation) -> datetime:
    """Tomorrow at 10:00 local time: a sensible first value for the schedule form."""
    today = timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=10)


def publications_of(post: Post):
    return post.publications.select_related("channel", "variant").prefetch_related("attempts")
