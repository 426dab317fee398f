"""Background work of exports: building one ZIP, and removing expired ones."""

from __future__ import annotations

from django.tasks import task

from pregonero.exports import services


@task
def build_export(job_id: int) -> str:
    job = services.build(job_id)
    return job.state if job else "skipped"


@task
def expire_exports() -> int:
    return services.expire()
