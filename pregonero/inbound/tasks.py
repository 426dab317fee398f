"""Periodic work on webhook events; the clock (:mod:`pregonero.core.clock`) enqueues it."""

from __future__ import annotations

from django.tasks import task

from pregonero.inbound import processing


@task
def process_raw_events() -> dict[str, int]:
    """Parse the webhook events stored since the last run into inbound messages."""
    return processing.process_pending()
