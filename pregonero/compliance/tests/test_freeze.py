"""ELEC-4: the queue freezes when a period opens; approvers release or withdraw what it held."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.compliance import elections, freeze, tasks
from pregonero.compliance.models import ElectionFreeze, ElectionReview, ReviewReason, ReviewStatus
from pregonero.compliance.tests.factories import (  # noqa: F401 (fixtures)
    enter,
    published_post,
    schedule_post_fixture,
    states,
    today,
)
from pregonero.core.clock import SCHEDULE
from pregonero.publishing.emergency import pause_organisation, resume_organisation
from pregonero.publishing.models import Category, PostState, PublicationState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)

PAUSED, QUEUED = PublicationState.PAUSED, PublicationState.QUEUED
ACHIEVEMENT = {
    "es": "Gracias a la inversión de 2 millones, hemos finalizado las obras del parque.",
    "ca": "Gràcies a la inversió de 2 milions, hem finalitzat les obres del parc.",
}


def open_now(vilanova, alba, **values):
    """An election whose period opened today, entered now: it freezes the queue at once."""
    values.setdefault("call_date", today(vilanova))
    return enter(vilanova, alba, **values)


def reviews(**filters):
    return list(ElectionReview.objects.filter(**filters).order_by("pk"))


def test_entering_an_open_election_holds_the_posts_scheduled_inside_its_period(schedule_post, vilanova, alba):
    inside = schedule_post(2)
    after = schedule_post(60)
    emergency = schedule_post(3, category=Category.EMERGENCY)
    election = open_now(vilanova, alba)
    assert states(inside) == {PAUSED}
    assert states(after) == states(emergency) == {QUEUED}
    [review] = reviews()
    assert (review.post, review.reason, review.status) == (
        inside,
        ReviewReason.SCHEDULED,
        ReviewStatus.PENDING,
    )
    assert sorted(review.publications) == sorted(inside.publications.values_list("pk", flat=True))
    assert review.election == election
    inside.refresh_from_db()
    assert inside.state == PostState.SCHEDULED


def test_freezing_twice_holds_nothing_twice(schedule_post, vilanova, alba):
    schedule_post(2)
    election = open_now(vilanova, alba)
    assert freeze.freeze_election(election) == 0
    assert freeze.open_periods() == 0
    assert ElectionReview.objects.count() == 1
    assert ElectionFreeze.objects.get().held_posts == 1
    assert AuditEntry.objects.filter(action="election.period_opened").count() == 1


def test_a_released_post_is_not_held_again_by_the_same_opening(schedule_post, vilanova, alba, pau):
    post = schedule_post(2)
    election = open_now(vilanova, alba)
    freeze.release(ElectionReview.objects.get(), actor=pau)
    assert freeze.freeze_election(election) == 0
    assert states(post) == {QUEUED}


def test_the_clock_freezes_on_the_call_day_not_before(schedule_post, vilanova, alba):
    sent = schedule_post(2)
    inside = schedule_post(10)
    enter(vilanova, alba, call_date=today(vilanova) + timedelta(days=5))
    assert ElectionReview.objects.count() == 0
    assert freeze.open_periods(now=timezone.now() + timedelta(days=4)) == 0
    # By the call day the dispatcher has sent the earlier post.
    sent.publications.update(state=PublicationState.SENT, sent_at=timezone.now() + timedelta(days=2))
    assert freeze.open_periods(now=timezone.now() + timedelta(days=5)) == 1
    assert states(inside) == {PAUSED}
    assert states(sent) == {PublicationState.SENT}


def test_a_publication_still_waiting_from_before_the_period_is_held_too(schedule_post, vilanova, alba):
    late = schedule_post(2)
    enter(vilanova, alba, call_date=today(vilanova) + timedelta(days=5))
    # Still waiting on the call day (a network refused it for a while): it would go out inside.
    late.publications.update(state=PublicationState.RETRY_WAIT)
    assert freeze.open_periods(now=timezone.now() + timedelta(days=5)) == 1
    assert states(late) == {PAUSED}


def test_the_period_opens_at_local_midnight(schedule_post, vilanova, alba):
    schedule_post(10)
    call = today(vilanova) + timedelta(days=5)
    enter(vilanova, alba, call_date=call)
    midnight = datetime.combine(call, time.min, tzinfo=ZoneInfo(vilanova.time_zone))
    assert freeze.open_periods(now=midnight - timedelta(minutes=1)) == 0
    assert freeze.open_periods(now=midnight + timedelta(minutes=1)) == 1


def test_the_clock_runs_the_freeze_every_minute():
    [periodic] = [p for p in SCHEDULE if p.task == tasks.open_election_periods]
    assert periodic.every == timedelta(minutes=1)


def test_the_task_freezes_what_opened(schedule_post, vilanova, alba):
    post = schedule_post(10)
    Election = elections.Election  # noqa: N806
    Election.objects.create(
        organisation=vilanova, name="Generales", kind="general", call_date=today(vilanova), created_by=alba
    )
    assert tasks.open_election_periods.call() == 1
    assert states(post) == {PAUSED}


def test_an_election_above_freezes_the_towns_below(schedule_post, diputacion, vilanova, diana):
    post = schedule_post(2)
    enter(diputacion, diana, call_date=today(vilanova))
    [review] = reviews()
    assert (review.organisation, review.post) == (vilanova, post)


def test_overlapping_elections_hold_a_post_once_and_deleting_one_leaves_it_held(
    schedule_post, vilanova, alba, pau
):
    post = schedule_post(2)
    first = open_now(vilanova, alba, name="Generales")
    second = open_now(vilanova, alba, name="Locales", kind="local")
    assert ElectionFreeze.objects.filter(organisation=vilanova).count() == 2
    [review] = reviews()
    assert review.election == first
    elections.delete_election(first, actor=alba)
    review.refresh_from_db()
    assert (review.election, review.status) == (second, ReviewStatus.PENDING)
    assert states(post) == {PAUSED}
    elections.delete_election(second, actor=alba)
    review.refresh_from_db()
    assert review.status == ReviewStatus.LIFTED
    assert states(post) == {QUEUED}


def test_releasing_checks_the_post_again_and_queues_it(schedule_post, vilanova, alba, pau):
    post = schedule_post(2)
    open_now(vilanova, alba)
    review = ElectionReview.objects.get()
    assert freeze.release(review, actor=pau, note="Información de servicio") == 2
    assert states(post) == {QUEUED}
    review.refresh_from_db()
    assert (review.status, review.decided_by, review.note) == (
        ReviewStatus.RELEASED,
        pau,
        "Información de servicio",
    )
    entry = AuditEntry.objects.get(action="election_review.released")
    assert entry.object_id == str(post.pk)


def test_an_achievement_post_cannot_be_released_but_can_be_withdrawn(schedule_post, vilanova, alba, pau):
    post = schedule_post(2, texts=ACHIEVEMENT)
    open_now(vilanova, alba)
    review = ElectionReview.objects.get()
    with pytest.raises(ValidationError) as error:
        freeze.release(review, actor=pau)
    assert any("ELEC-2" in message for message in error.value.messages)
    assert states(post) == {PAUSED}
    freeze.withdraw(review, actor=pau, note="Logros en periodo electoral")
    post.refresh_from_db()
    assert post.state == PostState.WITHDRAWN
    assert states(post) == {PublicationState.CANCELLED}
    review.refresh_from_db()
    assert review.status == ReviewStatus.WITHDRAWN


def test_a_decided_review_cannot_be_decided_again(schedule_post, vilanova, alba, pau):
    schedule_post(2)
    open_now(vilanova, alba)
    review = ElectionReview.objects.get()
    freeze.release(review, actor=pau)
    with pytest.raises(ValidationError, match="already decided"):
        freeze.withdraw(review, actor=pau)


@pytest.mark.parametrize("persona", ["vera", "ana"])
def test_only_approvers_decide(request, schedule_post, vilanova, alba, persona):
    schedule_post(2)
    open_now(vilanova, alba)
    with pytest.raises(PermissionDenied):
        freeze.release(ElectionReview.objects.get(), actor=request.getfixturevalue(persona))


def test_the_emergency_switch_does_not_release_posts_waiting_for_election_review(
    schedule_post, vilanova, alba, pau
):
    held = schedule_post(2)
    pause_organisation(vilanova, alba, "Inundaciones")
    open_now(vilanova, alba)
    # Held by both: the switch's release leaves the election's hold in place.
    assert [review.post for review in reviews()] == [held]
    assert resume_organisation(vilanova, alba) == []
    assert states(held) == {PAUSED}
    freeze.release(ElectionReview.objects.get(), actor=pau)
    assert states(held) == {QUEUED}


def test_releasing_during_an_emergency_pause_leaves_the_post_to_the_switch(
    schedule_post, vilanova, alba, pau
):
    post = schedule_post(2)
    open_now(vilanova, alba)
    pause_organisation(vilanova, alba, "Inundaciones")
    assert freeze.release(ElectionReview.objects.get(), actor=pau) == 0
    assert states(post) == {PAUSED}
    released = resume_organisation(vilanova, alba)
    assert {publication.post_id for publication in released} == {post.pk}
    assert states(post) == {QUEUED}


def test_still_visible_achievement_posts_are_listed_for_review(vilanova, alba, pau, ana, threads):
    boast = published_post(vilanova, ana, threads, ACHIEVEMENT["es"], days_ago=30)
    published_post(vilanova, ana, threads, "Horario de verano de la biblioteca.", days_ago=30)
    published_post(vilanova, ana, threads, ACHIEVEMENT["es"], days_ago=400)
    open_now(vilanova, alba)
    [review] = reviews(reason=ReviewReason.PUBLISHED)
    assert review.post == boast
    assert {finding["rule"] for finding in review.findings} >= {"ELEC-2", "NEUT-1"}
    with pytest.raises(ValidationError) as error:
        freeze.decide_published(review, actor=pau, decision=ReviewStatus.KEPT, note="")
    assert "note" in error.value.message_dict
    freeze.decide_published(review, actor=pau, decision=ReviewStatus.REMOVED, note="Borrado de la red")
    review.refresh_from_db()
    assert review.status == ReviewStatus.REMOVED
    assert AuditEntry.objects.filter(action="election_review.removed").count() == 1
