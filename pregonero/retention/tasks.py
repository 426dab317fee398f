"""Daily retention run; the clock (:mod:`pregonero.core.clock`) enqueues it."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from pregonero.retention import services


@task
def apply_retention() -> dict:
    return asdict(services.run())
