"""The clock enqueues each due periodic run once, however many workers tick."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pregonero.core import clock, tasks
from pregonero.core.models import PeriodicRun

pytestmark = pytest.mark.django_db


def test_two_claimers_of_the_same_run_have_one_winner():
    due = timezone.now()
    PeriodicRun.objects.create(name="nightly", next_run_at=due)
    later = due + timedelta(days=1)
    assert clock.claim("nightly", due, later, "worker-a") is True
    assert clock.claim("nightly", due, later, "worker-b") is False
    assert PeriodicRun.objects.get(name="nightly").last_worker == "worker-a"


def test_a_first_tick_enqueues_every_periodic_task_and_leaves_a_result_row():
    assert clock.tick(worker="worker-a") == [periodic.name for periodic in clock.SCHEDULE]
    for run in PeriodicRun.objects.all():
        assert DBTaskResult.objects.filter(id=run.last_task_id).exists()


def test_a_second_tick_at_the_same_time_enqueues_nothing():
    now = timezone.now()
    clock.tick(now=now)
    assert clock.tick(now=now) == []
    assert DBTaskResult.objects.count() == len(clock.SCHEDULE)


def test_an_hour_later_the_hourly_task_is_due_and_the_daily_one_is_not():
    now = timezone.now()
    clock.tick(now=now)
    enqueued = clock.tick(now=now + timedelta(hours=1, seconds=1))
    assert "clear-expired-sessions" in enqueued
    assert "prune-task-results" not in enqueued


def test_publications_are_dispatched_at_every_tick_of_a_30_second_clock():
    every = {periodic.name: periodic.every for periodic in clock.SCHEDULE}
    assert every["dispatch-publications"] <= timedelta(seconds=30)


def test_runs_missed_while_no_worker_ran_are_not_replayed():
    now = timezone.now()
    assert clock.next_after(now - timedelta(days=3), timedelta(hours=1), now) == now + timedelta(hours=1)
    assert clock.next_after(now, timedelta(hours=1), now) == now + timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_workers_ticking_at_once_enqueue_each_run_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database locks tables, not rows; covered on PostgreSQL.")
    now = timezone.now()
    clock.tick(now=now)
    due = now + timedelta(days=1, seconds=1)
    start = threading.Barrier(4)
    won: list[str] = []

    def worker(name: str) -> None:
        start.wait()
        try:
            won.extend(clock.tick(now=due, worker=name))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"worker-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == sorted(periodic.name for periodic in clock.SCHEDULE)
    assert DBTaskResult.objects.count() == 2 * len(clock.SCHEDULE)


def test_clearing_sessions_deletes_only_expired_ones():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(minutes=1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + timedelta(hours=1))
    assert tasks.clear_expired_sessions.call() == {"deleted": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


def test_pruning_keeps_recent_and_unfinished_task_results():
    old = tasks.clear_expired_sessions.enqueue()
    recent = tasks.clear_expired_sessions.enqueue()
    waiting = tasks.clear_expired_sessions.enqueue()
    long_ago = timezone.now() - timedelta(days=tasks.TASK_RESULT_RETENTION_DAYS + 1)
    DBTaskResult.objects.filter(id=old.id).update(status="SUCCESSFUL", finished_at=long_ago)
    DBTaskResult.objects.filter(id=recent.id).update(status="SUCCESSFUL", finished_at=timezone.now())
    assert tasks.prune_task_results.call() == {"deleted": 1}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {recent.id, waiting.id}


def test_unconfirmed_subscriptions_are_purged_periodically():
    from pregonero.core.clock import SCHEDULE

    assert "purge-unconfirmed-subscriptions" in {periodic.name for periodic in SCHEDULE}
