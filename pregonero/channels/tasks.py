"""Periodic work on channels; the clock (:mod:`pregonero.core.clock`) enqueues it."""

from __future__ import annotations

from django.tasks import task

from pregonero.channels import health


@task
def check_channels_health() -> dict[str, int]:
    """Ask every active channel's network whether its access still works."""
    return health.check_all()
