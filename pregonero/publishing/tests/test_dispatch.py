"""The dispatcher, one worker at a time: states, retries, threads, pauses, roll-up, audit."""

from __future__ import annotations

import random
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels import outbound
from pregonero.channels.models import Health
from pregonero.publishing import dispatch
from pregonero.publishing.models import (
    AttemptOutcome,
    Category,
    PostState,
    PublicationState,
    PublishingPolicy,
)
from pregonero.publishing.tests.conftest import make_channel, make_publication

pytestmark = pytest.mark.django_db

S = PublicationState


@pytest.fixture
def channel(vilanova, sink):
    return make_channel(vilanova, "Mastodon de l'Ajuntament", sink)


def key(publication, index=0):
    return dispatch.part_key(publication, index)


def test_a_due_publication_is_sent_once_and_keeps_the_remote_post(channel, ana, sink):
    publication = make_publication(channel, ana)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.SENT)
    publication.refresh_from_db()
    [remote_id] = sink.posts_for(key(publication))
    assert publication.state == S.SENT
    assert publication.remote_id == remote_id
    assert publication.remote_url.endswith(f"/@sink/{remote_id}")
    assert publication.sent_at is not None
    assert publication.lease_until is None
    [attempt] = publication.attempts.all()
    assert (attempt.number, attempt.worker, attempt.outcome) == (1, "worker-a", AttemptOutcome.SUCCESS)


def test_a_sent_publication_is_not_sent_again(channel, ana, sink):
    make_publication(channel, ana)
    dispatch.dispatch_next("worker-a")
    assert dispatch.dispatch_next("worker-a") is None
    assert sink.post_count() == 1


def test_a_publication_not_yet_due_waits(channel, ana, sink):
    publication = make_publication(channel, ana, due_at=timezone.now() + timedelta(minutes=5))
    assert dispatch.dispatch_next("worker-a") is None
    assert dispatch.dispatch_next("worker-a", now=publication.due_at) == (publication.pk, S.SENT)


def test_the_earliest_due_publication_goes_first(channel, ana):
    later = make_publication(channel, ana, due_at=timezone.now() - timedelta(seconds=1))
    earlier = make_publication(channel, ana, due_at=timezone.now() - timedelta(minutes=1))
    assert dispatch.dispatch_next("worker-a")[0] == earlier.pk
    assert dispatch.dispatch_next("worker-a")[0] == later.pk


def test_the_attempt_is_committed_before_the_network_is_called(channel, ana):
    publication = make_publication(channel, ana)
    claim = dispatch.claim_next("worker-a")
    publication.refresh_from_db()
    assert (publication.state, publication.claimed_by, publication.attempt_count) == (
        S.SENDING,
        "worker-a",
        1,
    )
    assert publication.lease_until > timezone.now()
    assert claim.attempt.outcome == AttemptOutcome.PENDING
    assert publication.post.state == PostState.PUBLISHING


def test_a_thread_goes_out_in_order_each_part_replying_to_the_previous(channel, ana, sink):
    publication = make_publication(channel, ana, parts=["Primer.", "Segon.", "Tercer."])
    dispatch.dispatch_next("worker-a")
    publication.refresh_from_db()
    bodies = [call["body"] for call in sink.calls]
    assert [body["text"] for body in bodies] == ["Primer.", "Segon.", "Tercer."]
    ids = [part["remote_id"] for part in publication.remote_parts]
    assert [body["reply_to"] for body in bodies] == [None, ids[0], ids[1]]
    assert [call["key"] for call in sink.calls] == [key(publication, index) for index in range(3)]
    assert publication.remote_id == ids[0]


def test_a_thread_resumes_after_the_parts_already_published(channel, ana, sink):
    publication = make_publication(channel, ana, parts=["Primer.", "Segon."])
    publication.remote_parts = [{"remote_id": "earlier", "url": ""}]
    publication.save()
    dispatch.dispatch_next("worker-a")
    assert [(call["key"], call["body"]["reply_to"]) for call in sink.calls] == [
        (key(publication, 1), "earlier")
    ]


def test_a_busy_network_is_retried_no_sooner_than_it_asked(channel, ana, sink):
    publication = make_publication(channel, ana)
    sink.fail_next(status=503, retry_after="3600")
    before = timezone.now()
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.RETRY_WAIT)
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=3600)
    assert publication.last_error == outbound.MESSAGES["busy"]
    [attempt] = publication.attempts.all()
    assert (attempt.outcome, attempt.retry_after) == (AttemptOutcome.TRANSIENT, 3600)
    assert "HTTP 503" in attempt.error
    channel.refresh_from_db()
    assert (channel.health, channel.consecutive_failures) == (Health.DEGRADED, 1)


def test_a_retry_goes_out_when_due_with_the_same_key(channel, ana, sink):
    publication = make_publication(channel, ana)
    sink.fail_next(status=503)
    dispatch.dispatch_next("worker-a")
    publication.refresh_from_db()
    assert dispatch.dispatch_next("worker-a", now=publication.due_at) == (publication.pk, S.SENT)
    assert [call["key"] for call in sink.calls] == [key(publication)] * 2
    channel.refresh_from_db()
    assert (channel.health, channel.consecutive_failures) == (Health.OK, 0)


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(1, 30, 37.5), (2, 120, 150), (3, 480, 600), (4, 1920, 2400), (20, 7200, 9000)],
)
def test_the_wait_between_attempts_grows_with_jitter_up_to_a_cap(attempt, low, high):
    rng = random.Random(attempt)  # noqa: S311 -- jitter, not secrecy
    delays = [dispatch.retry_delay(attempt, None, rng) for _ in range(50)]
    assert all(low <= delay <= high for delay in delays)
    assert len(set(delays)) > 1


def test_a_network_asking_for_more_than_the_backoff_gets_it():
    assert dispatch.retry_delay(1, retry_after=900) == 900


def test_after_the_last_allowed_attempt_a_busy_network_fails_the_publication(channel, ana, sink):
    publication = make_publication(channel, ana)
    for _attempt in range(1, dispatch.MAX_ATTEMPTS):
        sink.fail_next(status=503)
        assert dispatch.dispatch_next("worker-a") == (publication.pk, S.RETRY_WAIT)
        publication.refresh_from_db()
        publication.due_at = timezone.now() - timedelta(seconds=1)
        publication.save(update_fields=["due_at"])
    assert not AuditEntry.objects.filter(action="publication.failed").exists()
    sink.fail_next(status=503)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.FAILED)
    assert publication.attempts.count() == dispatch.MAX_ATTEMPTS
    assert AuditEntry.objects.filter(action="publication.failed", object_id=str(publication.pk)).exists()


def test_a_refused_post_fails_at_once_and_is_shown_on_the_post_and_the_channel(channel, ana, sink):
    publication = make_publication(channel, ana)
    sink.fail_next(status=422)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.FAILED)
    publication.refresh_from_db()
    channel.refresh_from_db()
    assert publication.last_error == outbound.MESSAGES["refused"]
    assert publication.post.state == PostState.FAILED
    assert (channel.health, channel.health_message) == (Health.DEGRADED, outbound.MESSAGES["refused"])
    assert len(sink.calls) == 1


def test_a_revoked_token_marks_the_channel_broken(channel, ana, sink):
    make_publication(channel, ana)
    sink.fail_next(status=401)
    dispatch.dispatch_next("worker-a")
    channel.refresh_from_db()
    assert (channel.health, channel.health_message) == (Health.BROKEN, outbound.MESSAGES["auth"])


def test_a_switched_off_channel_fails_without_calling_the_network(channel, ana, sink):
    channel.is_active = False
    channel.save()
    publication = make_publication(channel, ana)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.FAILED)
    publication.refresh_from_db()
    assert publication.last_error == dispatch.INACTIVE_MESSAGE
    assert sink.calls == []


def test_an_error_before_the_call_is_retried_later(vilanova, ana, sink):
    broken = make_channel(vilanova, "Sense adreça", sink)
    broken.config = {}
    broken.save()
    publication = make_publication(broken, ana)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.RETRY_WAIT)
    publication.refresh_from_db()
    assert publication.last_error == dispatch.UNEXPECTED_MESSAGE
    assert "KeyError" in publication.attempts.get().error


def test_a_connection_cut_mid_call_to_a_network_without_keys_is_looked_up_not_repeated(vilanova, ana, sink):
    channel = make_channel(vilanova, "Xarxa", sink, lookup=True)
    publication = make_publication(channel, ana)
    sink.crash_next()
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.SENT)
    publication.refresh_from_db()
    assert [publication.remote_id] == sink.posts_for(key(publication))
    assert [call["method"] for call in sink.calls] == ["POST", "GET"]


def test_a_connection_cut_mid_call_with_nothing_to_look_up_is_left_to_a_person(channel, ana, sink):
    publication = make_publication(channel, ana)
    sink.crash_next()
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.UNKNOWN)
    publication.refresh_from_db()
    assert publication.last_error == dispatch.UNKNOWN_MESSAGE
    assert publication.post.state == PostState.FAILED
    entry = AuditEntry.objects.get(action="publication.unknown")
    assert (entry.organisation, entry.actor) == (publication.organisation, None)
    assert dispatch.dispatch_next("worker-a") is None
    assert sink.post_count() == 1


def test_a_connection_cut_mid_call_to_a_network_with_keys_is_repeated_with_the_same_key(
    vilanova, ana, deduplicating_sink
):
    channel = make_channel(vilanova, "Xarxa", deduplicating_sink, idempotent=True)
    publication = make_publication(channel, ana)
    deduplicating_sink.crash_next()
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.RETRY_WAIT)
    publication.refresh_from_db()
    assert dispatch.dispatch_next("worker-a", now=publication.due_at) == (publication.pk, S.SENT)
    assert len(deduplicating_sink.calls) == 2
    publication.refresh_from_db()
    assert deduplicating_sink.posts_for(key(publication)) == [publication.remote_id]


def test_a_paused_organisation_sends_only_emergencies(channel, vilanova, ana, pau, sink):
    PublishingPolicy.objects.create(organisation=vilanova, paused_at=timezone.now(), paused_by=pau)
    ordinary = make_publication(channel, ana)
    emergency = make_publication(channel, ana, category=Category.EMERGENCY)
    assert dispatch.dispatch_next("worker-a") == (emergency.pk, S.SENT)
    assert dispatch.dispatch_next("worker-a") is None
    ordinary.refresh_from_db()
    assert ordinary.state == S.QUEUED


def test_a_pause_elsewhere_does_not_hold_back_this_organisation(channel, altea, oscar, ana):
    PublishingPolicy.objects.create(organisation=altea, paused_at=timezone.now(), paused_by=oscar)
    publication = make_publication(channel, ana)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, S.SENT)


def test_a_post_sent_on_one_channel_and_refused_on_another_is_partly_published(channel, vilanova, ana, sink):
    first = make_publication(channel, ana)
    other = make_channel(vilanova, "Bluesky", sink)
    make_publication(other, ana, post=first.post, due_at=first.due_at + timedelta(microseconds=1))
    dispatch.dispatch_next("worker-a")
    first.post.refresh_from_db()
    assert first.post.state == PostState.PUBLISHING
    sink.fail_next(status=400)
    dispatch.dispatch_next("worker-a")
    first.post.refresh_from_db()
    assert first.post.state == PostState.PARTLY_PUBLISHED


def test_a_post_sent_everywhere_is_published_and_audited_per_publication(channel, vilanova, ana, sink):
    first = make_publication(channel, ana)
    make_publication(make_channel(vilanova, "Bluesky", sink), ana, post=first.post)
    dispatch.dispatch_next("worker-a")
    dispatch.dispatch_next("worker-a")
    first.post.refresh_from_db()
    assert first.post.state == PostState.PUBLISHED
    entries = AuditEntry.objects.filter(action="publication.sent")
    assert entries.count() == 2
    assert {(entry.organisation_id, entry.actor_id) for entry in entries} == {(vilanova.pk, None)}


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], None),
        ([S.QUEUED, S.QUEUED], None),
        ([S.SENT, S.QUEUED], PostState.PUBLISHING),
        ([S.SENT, S.SENDING], PostState.PUBLISHING),
        ([S.RETRY_WAIT], PostState.PUBLISHING),
        ([S.SENT, S.SENT], PostState.PUBLISHED),
        ([S.SENT, S.FAILED], PostState.PARTLY_PUBLISHED),
        ([S.SENT, S.UNKNOWN, S.CANCELLED], PostState.PARTLY_PUBLISHED),
        ([S.FAILED, S.UNKNOWN], PostState.FAILED),
    ],
)
def test_a_posts_state_follows_from_its_publications(states, expected):
    assert dispatch.post_state_for(states) == expected


def test_a_withdrawn_post_keeps_its_state_whatever_its_publications_do(channel, ana):
    publication = make_publication(channel, ana)
    publication.post.state = PostState.WITHDRAWN
    publication.post.save()
    dispatch.dispatch_next("worker-a")
    publication.post.refresh_from_db()
    assert publication.post.state == PostState.WITHDRAWN


def expire(publication):
    return timezone.now() + dispatch.LEASE + timedelta(seconds=1)


def test_an_expired_lease_on_a_network_with_keys_is_queued_again(vilanova, ana, deduplicating_sink):
    channel = make_channel(vilanova, "Xarxa", deduplicating_sink, idempotent=True)
    publication = make_publication(channel, ana)
    dispatch.claim_next("worker-dead")
    assert dispatch.reconcile_leases("worker-b", now=expire(publication)) == {publication.pk: S.QUEUED}
    assert publication.attempts.get().outcome == AttemptOutcome.INTERRUPTED
    assert dispatch.dispatch_next("worker-b") == (publication.pk, S.SENT)
    assert [attempt.outcome for attempt in publication.attempts.all()] == [
        AttemptOutcome.INTERRUPTED,
        AttemptOutcome.SUCCESS,
    ]


def test_an_expired_lease_is_settled_from_the_network_when_it_can_tell(vilanova, ana, sink):
    channel = make_channel(vilanova, "Xarxa", sink, lookup=True)
    publication = make_publication(channel, ana)
    claim = dispatch.claim_next("worker-dead")
    sink.crash_next()
    with pytest.raises(outbound.HttpError), ExitStack() as files:
        channel.get_connector().publish(
            dispatch._outgoing(claim.publication, channel.get_connector(), ["x"], 0, files)
        )
    assert dispatch.reconcile_leases("worker-b", now=expire(publication)) == {publication.pk: S.SENT}
    publication.refresh_from_db()
    assert sink.posts_for(key(publication)) == [publication.remote_id]


def test_an_expired_lease_with_no_way_to_tell_becomes_unknown(channel, ana, sink):
    publication = make_publication(channel, ana)
    dispatch.claim_next("worker-dead")
    assert dispatch.reconcile_leases("worker-b", now=expire(publication)) == {publication.pk: S.UNKNOWN}
    assert dispatch.dispatch_next("worker-b") is None
    assert sink.calls == []


def test_a_lease_still_running_is_not_reconciled(channel, ana):
    make_publication(channel, ana)
    dispatch.claim_next("worker-a")
    assert dispatch.reconcile_leases("worker-b") == {}


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_next_attempt(vilanova, ana, deduplicating_sink):
    channel = make_channel(vilanova, "Xarxa", deduplicating_sink, idempotent=True)
    publication = make_publication(channel, ana)
    slow = dispatch.claim_next("worker-slow")
    dispatch.reconcile_leases("worker-b", now=expire(publication))
    fast = dispatch.claim_next("worker-b")
    assert dispatch.publish(fast) == S.SENT
    assert dispatch.publish(slow) == "lost"
    publication.refresh_from_db()
    assert (publication.state, publication.attempt_count, publication.claimed_by) == (S.SENT, 2, "worker-b")
    assert deduplicating_sink.post_count() == 1


def test_a_batch_goes_out_in_due_order_each_with_its_own_attempt(channel, ana, sink):
    start = timezone.now() - timedelta(minutes=1)
    publications = [make_publication(channel, ana, due_at=start + timedelta(seconds=n)) for n in (2, 0, 1)]
    handled = dispatch.dispatch_some("worker-a", limit=10)
    assert [pk for pk, _state in handled] == [publications[1].pk, publications[2].pk, publications[0].pk]
    assert {state for _pk, state in handled} == {S.SENT}
    assert sink.post_count() == 3
    assert dispatch.dispatch_some("worker-a") == []


def test_a_reservation_taken_over_by_a_reconciler_is_not_sent(channel, ana, sink):
    publication = make_publication(channel, ana)
    [reserved] = dispatch.reserve("worker-slow", limit=1)
    later = timezone.now() + dispatch.LEASE + timedelta(seconds=1)
    assert dispatch.reconcile_leases("worker-b", now=later) == {publication.pk: S.QUEUED}
    assert dispatch.begin_attempt(reserved, "worker-slow") is None
    assert sink.calls == []
    publication.refresh_from_db()
    assert (publication.state, publication.attempt_count) == (S.QUEUED, 0)
    assert dispatch.dispatch_next("worker-b") == (publication.pk, S.SENT)
    assert sink.post_count() == 1


def test_a_stopping_worker_gives_back_what_it_reserved_but_did_not_start(channel, ana, sink):
    import threading

    publications = [make_publication(channel, ana) for _ in range(3)]
    stop = threading.Event()
    stop.set()
    assert dispatch.dispatch_some("worker-a", stop=stop) == []
    for publication in publications:
        publication.refresh_from_db()
        assert (publication.state, publication.attempt_count, publication.lease_until) == (S.QUEUED, 0, None)
    assert sink.calls == []
