"""ELEC-4: when an election period opens, hold the scheduled queue for review.

On the call day (the organisation's civil day), for every organisation the election binds:

- every publication still waiting to go out before the period ends, of a post that is not an
  emergency, is held (state PAUSED, as the emergency switch holds them) and its post is listed
  for review; an approver releases it (the pre-flight checks run again; it goes back to the
  queue) or withdraws it;
- posts published in the last :data:`LOOKBACK_DAYS` that the checks now flag as achievement
  posts (ELEC-2, NEUT-1) are listed, so someone decides whether they stay online.

The opening is processed once per election, organisation and call day (:class:`ElectionFreeze`),
so running it twice, or from the clock and an admin's request at once, holds nothing twice. A
post already held for another election's review is not listed again. While a post's review is
pending, the emergency switch does not release it (:func:`pregonero.publishing.emergency.
paused_publications`); while the switch is on, releasing a post here leaves it held by the switch.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.compliance import preflight
from pregonero.compliance.elections import binds, is_open
from pregonero.compliance.models import (
    Election,
    ElectionFreeze,
    ElectionReview,
    ReviewReason,
    ReviewStatus,
)
from pregonero.publishing import review as publishing_review
from pregonero.publishing.models import (
    DUE_STATES,
    Category,
    Post,
    PostState,
    Publication,
    PublicationState,
)
from pregonero.publishing.rules import WAITING_STATES, is_paused, require, role_of

# "Still-visible achievement posts": what went out in about the last six months.
LOOKBACK_DAYS = 183
ACHIEVEMENT_RULES = frozenset({"ELEC-2", "NEUT-1"})


def period_end(election: Election, organisation: Organisation) -> datetime:
    """The instant the period ends for ``organisation``: midnight after election day, local."""
    zone = ZoneInfo(organisation.time_zone)
    return datetime.combine(election.closes_on + timedelta(days=1), time.min, tzinfo=zone)


def organisations_bound(election: Election) -> list[Organisation]:
    """The active organisations the election binds: its organisation and those below, in its territory."""
    subtree = election.organisation.descendants().filter(is_active=True)
    return [organisation for organisation in subtree if binds(election, organisation)]


def open_periods(now: datetime | None = None) -> int:
    """The clock's job: process every period open today somewhere; return the posts held."""
    now = now or timezone.now()
    # A day's margin either side of UTC's date covers every organisation's time zone.
    candidates = Election.objects.filter(
        opens_on__lte=now.date() + timedelta(days=1), closes_on__gte=now.date() - timedelta(days=1)
    ).select_related("organisation")
    return sum(freeze_election(election, now=now) for election in candidates)


def freeze_election(
    election: Election, *, actor: Person | None = None, request=None, now: datetime | None = None
) -> int:
    """Freeze the queues the election's open period holds, where not done yet; return posts held."""
    now = now or timezone.now()
    done = set(
        ElectionFreeze.objects.filter(election=election, opens_on=election.opens_on).values_list(
            "organisation_id", flat=True
        )
    )
    return sum(
        _freeze(election, organisation, actor, request, now)
        for organisation in organisations_bound(election)
        if organisation.pk not in done and is_open(election, organisation, now)
    )


def _freeze(election: Election, organisation: Organisation, actor, request, now: datetime) -> int:
    try:
        with transaction.atomic():
            freeze = ElectionFreeze.objects.create(
                election=election, organisation=organisation, opens_on=election.opens_on, frozen_at=now
            )
            held = _hold_scheduled(election, organisation)
            flagged = _flag_published(election, organisation, now)
            freeze.held_posts, freeze.flagged_posts = len(held), len(flagged)
            freeze.save(update_fields=["held_posts", "flagged_posts"])
            audit.record(
                "election.period_opened",
                actor=actor,
                organisation=organisation,
                obj=election,
                details={
                    "election": election.name,
                    "opens_on": election.opens_on,
                    "held_posts": [review.post_id for review in held],
                    "flagged_posts": [review.post_id for review in flagged],
                },
                request=request,
            )
    except IntegrityError:
        # Another run inserted the same opening first: it holds the queue, not us.
        return 0
    return len(held)


def _pending(reason: str):
    return ElectionReview.objects.filter(status=ReviewStatus.PENDING, reason=reason)


def _hold_scheduled(election: Election, organisation: Organisation) -> list[ElectionReview]:
    waiting = (
        Publication.objects.filter(
            organisation=organisation,
            state__in=WAITING_STATES,
            due_at__lt=period_end(election, organisation),
        )
        .exclude(post__category=Category.EMERGENCY)
        .exclude(post_id__in=ElectionReview.objects.holding())
    )
    ids = list(waiting.values_list("pk", flat=True))
    # Conditional on the state: one a worker claimed meanwhile is being sent, not held.
    Publication.objects.filter(pk__in=ids, state__in=DUE_STATES).update(state=PublicationState.PAUSED)
    by_post: dict[int, list[int]] = defaultdict(list)
    for pk, post_id in Publication.objects.filter(pk__in=ids, state=PublicationState.PAUSED).values_list(
        "pk", "post_id"
    ):
        by_post[post_id].append(pk)
    return [
        ElectionReview.objects.create(
            organisation=organisation,
            election=election,
            election_name=election.name,
            post_id=post_id,
            reason=ReviewReason.SCHEDULED,
            publications=sorted(publications),
        )
        for post_id, publications in sorted(by_post.items())
    ]


def achievement_findings(post: Post, when: datetime) -> list[dict]:
    """What the checks flag in ``post`` as achievement language at ``when``, for the review list."""
    report = preflight.report_for_post(post, when=when, now=when)
    return [
        {"rule": issue.rule, "message": issue.message, "evidence": list(issue.evidence)}
        for issue in report.issues
        if issue.rule in ACHIEVEMENT_RULES
    ]


def _flag_published(election: Election, organisation: Organisation, now: datetime) -> list[ElectionReview]:
    recent = (
        Post.objects.filter(
            organisation=organisation,
            state__in=(PostState.PUBLISHED, PostState.PARTLY_PUBLISHED),
            publications__sent_at__gte=now - timedelta(days=LOOKBACK_DAYS),
        )
        .exclude(pk__in=_pending(ReviewReason.PUBLISHED).values("post_id"))
        .distinct()
        .select_related("organisation")
    )
    flagged = []
    for post in recent:
        findings = achievement_findings(post, now)
        if findings:
            flagged.append(
                ElectionReview.objects.create(
                    organisation=organisation,
                    election=election,
                    election_name=election.name,
                    post=post,
                    reason=ReviewReason.PUBLISHED,
                    findings=findings,
                )
            )
    return flagged


# Decisions


def pending_reviews(organisation: Organisation):
    return (
        ElectionReview.objects.filter(organisation=organisation, status=ReviewStatus.PENDING)
        .select_related("post", "election")
        .order_by("reason", "post__scheduled_at", "pk")
    )


def decided_reviews(organisation: Organisation):
    return (
        ElectionReview.objects.filter(organisation=organisation)
        .exclude(status=ReviewStatus.PENDING)
        .select_related("post", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def _lock_pending(review: ElectionReview, reason: str) -> ElectionReview:
    locked = (
        ElectionReview.objects.select_for_update()
        .select_related("post", "post__organisation")
        .get(pk=review.pk)
    )
    if locked.status != ReviewStatus.PENDING:
        raise ValidationError(_("Someone has already decided on this post."))
    if locked.reason != reason:
        raise ValidationError(_("This decision does not apply to this post."))
    return locked


def _close(review: ElectionReview, status: str, actor: Person | None, note: str) -> None:
    review.status, review.decided_by, review.decided_at = status, actor, timezone.now()
    review.note = note.strip()
    review.save(update_fields=["status", "decided_by", "decided_at", "note"])


def _unhold(review: ElectionReview) -> int:
    """Queue the post's held publications again, unless the emergency switch holds them."""
    if is_paused(review.organisation):
        return 0
    return Publication.objects.filter(post=review.post, state=PublicationState.PAUSED).update(
        state=PublicationState.QUEUED
    )


def _record(action: str, review: ElectionReview, actor: Person | None, request, **details) -> None:
    audit.record(
        action,
        actor=actor,
        organisation=review.organisation,
        obj=review.post,
        details={"election": review.election_name, "note": review.note, **details},
        request=request,
    )


@transaction.atomic
def release(review: ElectionReview, *, actor: Person, note: str = "", request=None) -> int:
    """Send a held post back to the queue once the checks pass again; return publications queued.

    The checks judge it at its scheduled time (or now, if that has passed), with the election in
    force: a block no override covers refuses the release and says why.
    """
    require(role_of(actor, review.organisation).at_least(Role.APPROVER))
    review = _lock_pending(review, ReviewReason.SCHEDULED)
    post = review.post
    if post.state == PostState.WITHDRAWN:
        raise ValidationError(
            _("This post has been withdrawn meanwhile; withdraw it here to close its review.")
        )
    now = timezone.now()
    when = max(post.scheduled_at or now, now)
    refusals = preflight.report_for_post(post, when=when, now=now).refusals()
    if refusals:
        raise ValidationError(
            [_("The checks still block this post; change it, ask for an override or withdraw it:"), *refusals]
        )
    _close(review, ReviewStatus.RELEASED, actor, note)
    queued = _unhold(review)
    _record("election_review.released", review, actor, request, queued=queued)
    return queued


@transaction.atomic
def withdraw(review: ElectionReview, *, actor: Person, note: str = "", request=None) -> None:
    """Withdraw a held post: what was waiting is cancelled (as :func:`publishing.review.withdraw`)."""
    require(role_of(actor, review.organisation).at_least(Role.APPROVER))
    review = _lock_pending(review, ReviewReason.SCHEDULED)
    post = review.post
    if post.state != PostState.WITHDRAWN:
        publishing_review.withdraw(
            post, actor=actor, reason=note or _("Withdrawn in the election review."), request=request
        )
    _close(review, ReviewStatus.WITHDRAWN, actor, note)
    _record("election_review.withdrawn", review, actor, request)


@transaction.atomic
def decide_published(
    review: ElectionReview, *, actor: Person, decision: str, note: str, request=None
) -> None:
    """Record what was done with a published achievement post: kept (justified) or removed."""
    require(role_of(actor, review.organisation).at_least(Role.APPROVER))
    review = _lock_pending(review, ReviewReason.PUBLISHED)
    if decision not in (ReviewStatus.KEPT, ReviewStatus.REMOVED):
        raise ValidationError({"decision": _("Choose whether the post stays online or was removed.")})
    if decision == ReviewStatus.KEPT and not note.strip():
        raise ValidationError(
            {"note": _("Say why the post may stay online during the period; it is recorded.")}
        )
    _close(review, decision, actor, note)
    _record(f"election_review.{decision}", review, actor, request)


def decide(review: ElectionReview, decision: str, *, actor: Person, note: str = "", request=None) -> None:
    """One approver's decision on a review, as the review screen's buttons name it."""
    if decision == "release":
        release(review, actor=actor, note=note, request=request)
    elif decision == "withdraw":
        withdraw(review, actor=actor, note=note, request=request)
    else:
        decide_published(review, actor=actor, decision=decision, note=note, request=request)


def lift_holds_of(election: Election, *, actor: Person, request=None) -> int:
    """Before an election is deleted: its pending reviews close, and the posts it held go back to
    the queue, unless another open election's freeze of the same organisation covers them."""
    released = 0
    for review in ElectionReview.objects.select_for_update().filter(
        election=election, status=ReviewStatus.PENDING
    ):
        other = _other_open_election(review, election)
        if other is not None:
            review.election, review.election_name = other, other.name
            review.save(update_fields=["election", "election_name"])
            continue
        _close(review, ReviewStatus.LIFTED, actor, "")
        if review.reason == ReviewReason.SCHEDULED:
            _unhold(review)
            released += 1
        _record("election_review.lifted", review, actor, request)
    return released


def _other_open_election(review: ElectionReview, deleted: Election) -> Election | None:
    """Another election whose opening froze the same organisation, still open, whose period the
    post's time falls in: the post stays held, now for that election."""
    when = review.post.scheduled_at
    frozen = ElectionFreeze.objects.filter(organisation=review.organisation).exclude(election=deleted)
    for freeze in frozen.select_related("election"):
        other = freeze.election
        if (
            freeze.opens_on == other.opens_on
            and is_open(other, review.organisation)
            and (when is None or when < period_end(other, review.organisation))
        ):
            return other
    return None
