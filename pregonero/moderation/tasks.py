"""Periodic work of moderation; the clock (:mod:`pregonero.core.clock`) enqueues it."""

from __future__ import annotations

from django.tasks import task

from pregonero.moderation import services


@task
def lift_expired() -> int:
    """Show again the messages and unblock the accounts whose decision reached its end date."""
    return services.lift_expired()
