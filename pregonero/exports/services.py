"""Asking for an export, building it in the background, and handing it out (RULES.md REC-1).

Only people who may search the archive (``ARCHIVE_ROLE``) of the organisation ask for, follow
and download its exports; each request and each download leaves an audit entry.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Mapping
from datetime import timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from pregonero.accounts.models import Organisation, Person
from pregonero.archive.services import can_search
from pregonero.audit import services as audit
from pregonero.exports.bundle import write_export
from pregonero.exports.models import ExportJob, ExportState
from pregonero.exports.notify import page_url, tell_ready
from pregonero.exports.selection import records_for

logger = logging.getLogger(__name__)
KEEP_FOR = timedelta(days=30)


def request_export(
    organisation: Organisation, person: Person, parameters: Mapping, *, redact: bool = False, request=None
) -> ExportJob:
    """Queue an export of the records ``parameters`` select; the task starts after the commit."""
    from pregonero.exports.tasks import build_export

    if not can_search(person, organisation):
        raise PermissionError("Only people who may search the archive may export it.")
    with transaction.atomic():
        job = ExportJob.objects.create(
            organisation=organisation,
            requested_by=person,
            parameters=dict(parameters),
            redact=redact,
            total=records_for(organisation, parameters).count(),
        )
        audit.record(
            "archive.export_requested",
            actor=person,
            organisation=organisation,
            obj=job,
            details={"parameters": dict(parameters), "redact": redact, "records": job.total},
            request=request,
        )
        transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return job


def _progress(job: ExportJob):
    def report(stage: str, done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(stage=stage, done=done, total=total)

    return report


def build(job_id: int) -> ExportJob | None:
    """Write the ZIP of a queued job into the media storage; mark it ready or failed."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(state=ExportState.RUNNING)
    if not claimed:
        return None
    job = ExportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    person = job.requested_by
    try:
        with tempfile.TemporaryFile() as target:
            write_export(
                records_for(job.organisation, job.parameters),
                job.organisation,
                target,
                parameters=job.parameters,
                redact=job.redact,
                requested_by=str(person) if person else "",
                language=getattr(person, "language", "") or "en",
                progress=_progress(job),
            )
            _progress(job)("storing", job.total, job.total)
            target.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: target.read(1 << 20), b""):
                digest.update(block)
            size = target.tell()
            target.seek(0)
            name = default_storage.save(
                f"exports/{job.organisation_id}/{job.pk}-{digest.hexdigest()[:12]}.zip", File(target)
            )
    except Exception as error:
        logger.exception("Archive export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.READY,
        file=name,
        size=size,
        sha256=digest.hexdigest(),
        finished_at=now,
        expires_at=now + KEEP_FOR,
        stage="",
    )
    job.refresh_from_db()
    tell_ready(job)
    _announce_ready(job)
    return job


def _announce_ready(job: ExportJob) -> None:
    """``export.ready`` for the organisation's webhook endpoints: what was built, its size and
    digest, until when it can be downloaded and the page that offers it (to a signed-in
    person with the archive role; the file is never sent in the event)."""
    from pregonero.api import webhooks

    webhooks.emit(
        "export.ready",
        job.organisation,
        {
            "export": {
                "id": job.pk,
                "records": job.total,
                "redacted": job.redact,
                "size": job.size,
                "sha256": job.sha256,
                "finished_at": job.finished_at,
                "expires_at": job.expires_at,
                "url": page_url(job),
            }
        },
    )


def visible_jobs(organisation: Organisation):
    return ExportJob.objects.filter(organisation=organisation)


def open_download(job: ExportJob, person: Person, request=None):
    """The ZIP opened for reading; audited. The caller has checked the person's role."""
    audit.record(
        "archive.export_downloaded",
        actor=person,
        organisation=job.organisation,
        obj=job,
        details={"sha256": job.sha256, "records": job.total, "redact": job.redact},
        request=request,
    )
    return default_storage.open(job.file, "rb")


def expire(now=None) -> int:
    """Remove the files of exports past their expiry; returns how many."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(state=ExportState.READY, expires_at__lte=now):
        if job.file:
            default_storage.delete(job.file)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportState.EXPIRED, file="")
        count += 1
    return count
