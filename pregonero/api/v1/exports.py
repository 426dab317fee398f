"""Archive exports for access requests (REC-1): ask for one, follow it, download it.

The same jobs as the interface's: built in the background from the search's words and
filters, optionally with third parties' personal data redacted, kept for a limited time;
every request and download is audited. ``export.ready`` tells webhooks when one is built.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import Field

from pregonero.accounts.scoping import object_in
from pregonero.api.access import reach
from pregonero.api.idempotency import run_once
from pregonero.api.models import Access, Resource
from pregonero.api.problems import Problem, from_validation_error
from pregonero.api.schemas import Instant
from pregonero.api.v1 import ID, answers, json_answer
from pregonero.api.v1.archive import RecordSelection
from pregonero.api.v1.posts import REQUIRED_IDEMPOTENCY_KEY
from pregonero.archive.search_forms import INTERNAL, ArchiveSearchForm
from pregonero.archive.services import ARCHIVE_ROLE
from pregonero.exports import services
from pregonero.exports.models import ExportJob, ExportState

router = Router()

EXPORT_ID = Path(..., **ID)


class ExportIn(RecordSelection):
    redact: bool = Field(
        False,
        description="Replace third parties' personal data (citizens' names, ids, phones, e-mails) "
        "and list what was replaced in redactions.csv.",
    )


class ExportOut(Schema):
    id: int
    state: str = Field(description="queued, running, ready, failed or expired.")
    stage: str = Field(description="While running: what is being written.")
    done: int
    total: int = Field(description="How many records the export holds.")
    redacted: bool
    filters: dict = Field(description="The words and filters it was asked with.")
    size: int = Field(description="Bytes of the ZIP, once ready.")
    sha256: str = Field(description="SHA-256 of the ZIP, once ready: check the download against it.")
    error: str
    created_at: Instant
    finished_at: Instant | None
    expires_at: Instant | None = Field(description="After this the file is removed.")
    download: str | None = Field(description="Where to download the ZIP, while it is ready.")

    @classmethod
    def of(cls, job: ExportJob) -> ExportOut:
        ready = job.state == ExportState.READY and bool(job.file)
        return cls(
            id=job.pk,
            state=job.state,
            stage=job.stage,
            done=job.done,
            total=job.total,
            redacted=job.redact,
            filters=job.parameters,
            size=job.size,
            sha256=job.sha256,
            error=job.error,
            created_at=job.created_at,
            finished_at=job.finished_at,
            expires_at=job.expires_at,
            download=reverse("api:download_export", args=[job.organisation.slug, job.pk]) if ready else None,
        )


def _find(request, organisation: str, export_id: int) -> ExportJob:
    found = reach(request, organisation, Resource.ARCHIVE, minimum=ARCHIVE_ROLE)
    return object_in(services.visible_jobs(found).select_related("organisation"), found, pk=export_id)


@router.post(
    "/{organisation}/archive/exports",
    response=answers(s202=ExportOut),
    summary="Ask for an export of the records a search finds",
)
def request_export(
    request, organisation: str, payload: ExportIn, idempotency_key: str = REQUIRED_IDEMPOTENCY_KEY
):
    """Queued and built in the background (202); follow it at the address in ``Location``.
    Without words or filters it holds the whole archive (blocked records never)."""

    def ask() -> HttpResponse:
        found = reach(request, organisation, Resource.ARCHIVE, Access.WRITE, minimum=ARCHIVE_ROLE)
        selection = payload.model_dump(mode="json", exclude={"redact"}, exclude_none=True)
        if selection.get("direction") == "internal":
            selection["direction"] = INTERNAL  # the search form's name for records of no direction
        # The search page's own form: an export holds exactly what that search lists.
        form = ArchiveSearchForm(selection, organisation=found)
        if not form.is_valid():
            raise from_validation_error(ValidationError(form.errors.as_data()))
        job = services.request_export(found, request.actor, selection, redact=payload.redact, request=request)
        job.organisation = found
        location = reverse("api:get_export", args=[found.slug, job.pk])
        return json_answer(202, ExportOut.of(job), {"Location": location})

    return run_once(request, idempotency_key, ask)


@router.get(
    "/{organisation}/archive/exports/{export_id}",
    response=answers(s200=ExportOut),
    summary="An export's progress, and its download address once ready",
    url_name="get_export",
)
def get_export(request, organisation: str, export_id: int = EXPORT_ID):
    return ExportOut.of(_find(request, organisation, export_id))


@router.get(
    "/{organisation}/archive/exports/{export_id}/download",
    response=answers(s200=None),
    summary="Download a ready export (ZIP)",
    url_name="download_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "The ZIP: records.jsonl, records.csv, summary.pdf, media, manifest "
                "and chain proof (docs/archive-proof.md).",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_export(request, organisation: str, export_id: int = EXPORT_ID):
    """Audited. Not ready yet, failed or expired: 404 with the reason."""
    job = _find(request, organisation, export_id)
    if job.state != ExportState.READY or not job.file:
        raise Problem(404, _("This export is not ready or has expired."), detail=job.get_state_display())
    handle = services.open_download(job, request.actor, request=request)
    return FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type="application/zip"
    )
