"""Background work of publishing: sending due publications and recovering interrupted ones.

The clock (:mod:`pregonero.core.clock`) enqueues :func:`dispatch_due` every few seconds and
:func:`reconcile_leases` every minute; :func:`run_dispatcher` is the same work as a
long-running loop (``pregonero dispatcher``, the benchmark). See docs/decisions/0002-dispatcher.md.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import Counter

from django.db import DatabaseError, close_old_connections
from django.tasks import task

from pregonero.publishing import dispatch

logger = logging.getLogger("pregonero.dispatch")

# One task run stops after this many publications or seconds and enqueues a follow-up, so a
# long backlog does not hold one worker while others idle, and results stay readable.
BATCH_LIMIT = 200
BATCH_SECONDS = 25.0
RECONCILE_EVERY = 30.0


def worker_name(prefix: str = "task") -> str:
    """Readable and unique across machines; stored on claims and attempts."""
    return f"{prefix}-{socket.gethostname()[:40]}-{os.getpid()}-{threading.get_ident() % 10000}"


def dispatch_batch(worker: str, *, limit: int = BATCH_LIMIT, seconds: float = BATCH_SECONDS) -> Counter:
    """Send due publications until none is due, ``limit`` were sent or ``seconds`` passed;
    return how many ended in each state."""
    outcomes: Counter = Counter()
    deadline = time.monotonic() + seconds
    while sum(outcomes.values()) < limit and time.monotonic() < deadline:
        handled = dispatch.dispatch_some(
            worker, limit=min(dispatch.CLAIM_BATCH, limit - sum(outcomes.values()))
        )
        if not handled:
            break
        outcomes.update(state for _pk, state in handled)
    return outcomes


@task
def dispatch_due() -> dict[str, int]:
    """Send what is due (bounded); enqueue a follow-up when more may be waiting."""
    outcomes = dispatch_batch(worker_name())
    if sum(outcomes.values()) >= BATCH_LIMIT:
        dispatch_due.enqueue()
    return dict(outcomes)


@task
def tell_people_about(publication_id: int) -> int:
    """E-mail the people responsible for a publication that failed or whose outcome is unknown."""
    from pregonero.publishing.notify import tell_people

    return tell_people(publication_id)


@task
def reconcile_leases() -> dict[str, int]:
    """Recover publications whose worker stopped mid-call; return how many ended in each state."""
    return dict(Counter(dispatch.reconcile_leases(worker_name("reconcile")).values()))


def run_dispatcher(
    worker: str,
    stop_after: float | None = None,
    *,
    until_idle: bool = False,
    idle_sleep: float = 1.0,
    stop: threading.Event | None = None,
) -> Counter:
    """Send publications as they fall due until stopped; return how many ended in each state.

    Stops after ``stop_after`` seconds, when ``stop`` is set, or (``until_idle``) as soon as
    nothing is due. Reconciles expired leases every ``RECONCILE_EVERY`` seconds. Database
    errors are logged and retried: a restarting database must not end the loop.
    """
    stop = stop or threading.Event()
    started = time.monotonic()
    next_reconcile = started
    outcomes: Counter = Counter()
    while not stop.is_set() and (stop_after is None or time.monotonic() - started < stop_after):
        try:
            if time.monotonic() >= next_reconcile:
                dispatch.reconcile_leases(worker)
                next_reconcile = time.monotonic() + RECONCILE_EVERY
            handled = dispatch.dispatch_some(worker, stop=stop)
        except DatabaseError:
            logger.exception("Dispatcher %s: database error; retrying", worker)
            close_old_connections()
            stop.wait(idle_sleep)
            continue
        if handled:
            outcomes.update(state for _pk, state in handled)
            continue
        if until_idle:
            break
        close_old_connections()
        stop.wait(idle_sleep)
    return outcomes
