"""A worker killed in the middle of a call: no duplicate, no loss, the right state after recovery.

Each test runs a dispatcher in a separate process against a database this process shares,
lets it claim a publication and commit the attempt, holds the network call open (the sink
takes the post, then hangs), kills the process with SIGKILL, then recovers here.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from pregonero.channels.connectors.http_sink.sink import Sink
from pregonero.conftest import make_organisation, make_person
from pregonero.publishing import dispatch
from pregonero.publishing.models import AttemptOutcome, PostState, PublicationAttempt, PublicationState
from pregonero.publishing.tests.conftest import make_channel, make_publication, start_worker

S = PublicationState


@pytest.fixture
def world(shared_db) -> dict:
    vilanova = make_organisation("vilanova-de-mar", "Ajuntament de Vilanova de Mar")
    return {
        "url": shared_db,
        "vilanova": vilanova,
        "ana": make_person("ana@vilanova.example", "Ana", None, None),
    }


@pytest.fixture
def hanging_sink() -> Iterator[Sink]:
    peer = Sink(dedupe=True).start()
    yield peer
    peer.stop()


def kill_during_call(world: dict, sink: Sink, publication, *, after: int = 0, mode: str = "once") -> None:
    """Start a worker, wait until the network holds its call, and kill it there."""
    sink.hang_next(after=after)
    worker = start_worker(world["url"], mode, "worker-doomed")
    try:
        assert sink.entered.wait(60), worker.stderr.read() if worker.poll() is not None else "no call"
        # The claim and its attempt were committed before the call.
        publication.refresh_from_db()
        assert (publication.state, publication.claimed_by) == (S.SENDING, "worker-doomed")
        attempt = PublicationAttempt.objects.get(publication=publication)
        assert attempt.outcome == AttemptOutcome.PENDING
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
        sink.release()
    assert worker.returncode == -signal.SIGKILL


def recover() -> dict[int, str]:
    """What the next worker does once the lease has run out."""
    return dispatch.reconcile_leases("worker-b", now=timezone.now() + dispatch.LEASE + timedelta(seconds=1))


def test_a_killed_worker_on_a_network_with_keys_ends_sent_exactly_once(world, hanging_sink):
    channel = make_channel(world["vilanova"], "Mastodon", hanging_sink, idempotent=True)
    publication = make_publication(channel, world["ana"])
    kill_during_call(world, hanging_sink, publication)
    assert recover() == {publication.pk: S.QUEUED}
    assert dispatch.dispatch_next("worker-b") == (publication.pk, S.SENT)
    publication.refresh_from_db()
    key = dispatch.part_key(publication, 0)
    assert hanging_sink.posts_for(key) == [publication.remote_id]
    assert hanging_sink.calls_per_key()[key] == 2
    assert [attempt.outcome for attempt in publication.attempts.all()] == [
        AttemptOutcome.INTERRUPTED,
        AttemptOutcome.SUCCESS,
    ]
    assert publication.post.state == PostState.PUBLISHED


def test_a_killed_worker_on_a_network_that_can_be_asked_ends_sent_without_calling_again(world, hanging_sink):
    channel = make_channel(world["vilanova"], "Bluesky", hanging_sink, lookup=True)
    publication = make_publication(channel, world["ana"])
    kill_during_call(world, hanging_sink, publication)
    assert recover() == {publication.pk: S.SENT}
    publication.refresh_from_db()
    assert hanging_sink.calls_per_key() == {dispatch.part_key(publication, 0): 1}
    assert hanging_sink.posts_for(dispatch.part_key(publication, 0)) == [publication.remote_id]
    assert dispatch.dispatch_next("worker-b") is None


def test_a_killed_worker_on_a_network_that_cannot_tell_ends_unknown_and_is_not_repeated(world, hanging_sink):
    channel = make_channel(world["vilanova"], "Xarxa", hanging_sink)
    publication = make_publication(channel, world["ana"])
    kill_during_call(world, hanging_sink, publication)
    assert recover() == {publication.pk: S.UNKNOWN}
    assert dispatch.dispatch_next("worker-b") is None
    publication.refresh_from_db()
    assert publication.last_error == dispatch.UNKNOWN_MESSAGE
    assert hanging_sink.post_count() == 1
    assert publication.post.state == PostState.FAILED


def test_a_thread_killed_at_its_second_part_resumes_at_the_third(world, hanging_sink):
    channel = make_channel(world["vilanova"], "Fil", hanging_sink, lookup=True)
    publication = make_publication(channel, world["ana"], parts=["U.", "Dos.", "Tres."])
    kill_during_call(world, hanging_sink, publication, after=1)
    publication.refresh_from_db()
    assert len(publication.remote_parts) == 1
    assert recover() == {publication.pk: S.QUEUED}
    assert dispatch.dispatch_next("worker-b") == (publication.pk, S.SENT)
    publication.refresh_from_db()
    keys = [dispatch.part_key(publication, index) for index in range(3)]
    assert [hanging_sink.posts_for(key) for key in keys] == [
        [part["remote_id"]] for part in publication.remote_parts
    ]
    third = [call for call in hanging_sink.calls if call["key"] == keys[2]]
    assert third[0]["body"]["reply_to"] == publication.remote_parts[1]["remote_id"]


def test_publications_reserved_with_the_one_killed_mid_call_go_out_once_and_need_nobody(world, hanging_sink):
    channel = make_channel(world["vilanova"], "Xarxa", hanging_sink)
    start = timezone.now() - timedelta(minutes=1)
    first, *others = [
        make_publication(channel, world["ana"], due_at=start + timedelta(seconds=n)) for n in range(3)
    ]
    kill_during_call(world, hanging_sink, first, mode="batch")
    for publication in others:
        publication.refresh_from_db()
        # Reserved by the dead worker, but their calls were never started.
        assert (publication.state, publication.claimed_by) == (S.SENDING, "worker-doomed")
        assert not publication.attempts.exists()
    # Only the one whose call was under way needs a person; the others go back to the queue.
    assert recover() == {first.pk: S.UNKNOWN, **{publication.pk: S.QUEUED for publication in others}}
    assert sorted(dispatch.dispatch_some("worker-b")) == sorted((p.pk, S.SENT) for p in others)
    assert hanging_sink.post_count() == 3
    assert hanging_sink.duplicates() == 0
    for publication in others:
        publication.refresh_from_db()
        assert [(a.number, a.outcome) for a in publication.attempts.all()] == [(1, AttemptOutcome.SUCCESS)]
