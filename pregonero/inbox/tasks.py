"""Periodic work of the inbox; the clock (:mod:`pregonero.core.clock`) enqueues it."""

from __future__ import annotations

from django.tasks import task

from pregonero.inbox import ingest, notify


@task
def ingest_inbound() -> dict[str, int]:
    """Fetch every readable channel's new messages into the inbox; also tells assignees about
    answers that fell overdue, so one periodic entry keeps the inbox current."""
    totals = ingest.ingest_all()
    totals["overdue_notified"] = notify.overdue()
    return totals
