"""The clock: enqueues periodic tasks, exactly once per due run across all workers.

Every periodic task has a :class:`~pregonero.core.models.PeriodicRun` row. A worker that
sees a run due claims it with ``UPDATE ... SET next_run_at = <next> WHERE name = <name>
AND next_run_at = <the value it read>``. The database lets exactly one such UPDATE
change the row; only the worker whose UPDATE changed it enqueues the task, in the same
transaction, so a claim without its task result row cannot be committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone

from pregonero.api import tasks as api_tasks
from pregonero.channels import tasks as channel_tasks
from pregonero.compliance import tasks as compliance_tasks
from pregonero.core import tasks
from pregonero.core.models import PeriodicRun
from pregonero.inbound import tasks as inbound_tasks
from pregonero.inbox import tasks as inbox_tasks
from pregonero.moderation import tasks as moderation_tasks
from pregonero.public import tasks as public_tasks
from pregonero.publishing import tasks as publishing_tasks
from pregonero.retention import tasks as retention_tasks


@dataclass(frozen=True)
class Periodic:
    """A task to enqueue every ``every``; ``name`` keys its PeriodicRun row."""

    name: str
    task: Task
    every: timedelta


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("clear-expired-sessions", tasks.clear_expired_sessions, timedelta(hours=1)),
    Periodic("prune-task-results", tasks.prune_task_results, timedelta(days=1)),
    # Shorter than the clock's 30 s tick, so every tick sends what fell due since the last.
    Periodic("dispatch-publications", publishing_tasks.dispatch_due, timedelta(seconds=20)),
    Periodic("reconcile-publications", publishing_tasks.reconcile_leases, timedelta(minutes=1)),
    Periodic("check-channels-health", channel_tasks.check_channels_health, timedelta(minutes=15)),
    # The consent text tells citizens unconfirmed requests go after 48 hours.
    Periodic(
        "purge-unconfirmed-subscriptions", public_tasks.purge_unconfirmed_subscriptions, timedelta(hours=1)
    ),
    # ELEC-4: an election period opens at midnight local time; hold its queue within a minute.
    Periodic("open-election-periods", compliance_tasks.open_election_periods, timedelta(minutes=1)),
    # Webhooks: retries that fell due, and channels that turned unhealthy since the last round.
    Periodic("webhook-rounds", api_tasks.webhook_rounds, timedelta(minutes=1)),
    # Networks' webhook calls, stored on arrival, parsed into inbound messages.
    Periodic("process-webhook-events", inbound_tasks.process_raw_events, timedelta(seconds=30)),
    # Citizens' messages into the inbox, and overdue answers told to their assignees.
    Periodic("inbox-ingest", inbox_tasks.ingest_inbound, timedelta(minutes=1)),
    # MOD-1: hides and blocks with an end date are lifted within a few minutes of it.
    Periodic("lift-expired-moderation", moderation_tasks.lift_expired, timedelta(minutes=5)),
    # DATA-5: expired citizens' messages are blocked, then destroyed when the blocking ends.
    Periodic("apply-retention", retention_tasks.apply_retention, timedelta(days=1)),
)


def next_after(previous: datetime, every: timedelta, now: datetime) -> datetime:
    """The run after ``previous``; runs missed while no worker was up are skipped, not replayed."""
    candidate = previous + every
    return candidate if candidate > now else now + every


def _row(periodic: Periodic, now: datetime) -> PeriodicRun:
    try:
        # A new periodic task is due at once, so a fresh install does its housekeeping.
        return PeriodicRun.objects.get_or_create(name=periodic.name, defaults={"next_run_at": now})[0]
    except IntegrityError:
        # Another worker created the row between our SELECT and INSERT.
        return PeriodicRun.objects.get(name=periodic.name)


def claim(name: str, seen_next_run_at: datetime, new_next_run_at: datetime, worker: str = "") -> bool:
    """Move ``name``'s next run from ``seen_next_run_at`` on; True only for the one caller that did."""
    changed = PeriodicRun.objects.filter(name=name, next_run_at=seen_next_run_at).update(
        next_run_at=new_next_run_at, last_enqueued_at=timezone.now(), last_worker=worker[:64]
    )
    return changed == 1


def tick(
    now: datetime | None = None, schedule: tuple[Periodic, ...] = SCHEDULE, worker: str = ""
) -> list[str]:
    """Enqueue every due periodic task this caller wins; return their names."""
    now = now or timezone.now()
    enqueued = []
    for periodic in schedule:
        run = _row(periodic, now)
        if run.next_run_at > now:
            continue
        with transaction.atomic():
            following = next_after(run.next_run_at, periodic.every, now)
            if not claim(periodic.name, run.next_run_at, following, worker):
                continue
            result = periodic.task.enqueue()
            PeriodicRun.objects.filter(name=periodic.name).update(last_task_id=str(result.id))
        enqueued.append(periodic.name)
    return enqueued
