"""Background work of compliance: freezing the queue when an election period opens (ELEC-4).

The clock (:mod:`pregonero.core.clock`) enqueues :func:`open_election_periods` every minute;
the work is idempotent (:mod:`.freeze`), so a late or repeated run holds nothing twice.
"""

from __future__ import annotations

from django.tasks import task

from pregonero.compliance import freeze


@task
def open_election_periods() -> int:
    """Hold the scheduled posts of every election period that opened; return how many."""
    return freeze.open_periods()
