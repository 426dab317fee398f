"""Housekeeping tasks. The clock (:mod:`pregonero.core.clock`) enqueues them periodically.

Each returns a small JSON value, kept on its task result row so an admin can read what
a run did.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# Finished task results are kept this long: long enough to answer "did it run last week?".
TASK_RESULT_RETENTION_DAYS = 30


@task
def clear_expired_sessions() -> dict[str, int]:
    """Delete sessions past their expiry date; return how many went."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}


@task
def prune_task_results(retention_days: int = TASK_RESULT_RETENTION_DAYS) -> dict[str, int]:
    """Delete finished task results older than ``retention_days``; return how many went."""
    cutoff = timezone.now() - timedelta(days=retention_days)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {"deleted": deleted}
