"""Archive export screens: ask for an export, follow its progress, download it (REC-1).

Editors and above (``ARCHIVE_ROLE``) of the organisation; lower roles get 403, outsiders 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.archive.services import ARCHIVE_ROLE
from pregonero.exports import services
from pregonero.exports.forms import ExportForm
from pregonero.exports.models import ExportState


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, ARCHIVE_ROLE)
    form = ExportForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        job = services.request_export(
            organisation, request.user, form.parameters(), redact=form.cleaned_data["redact"], request=request
        )
        return redirect("exports:detail", organisation.slug, job.pk)
    jobs = services.visible_jobs(organisation).select_related("requested_by")[:50]
    source = request.POST if request.method == "POST" else request.GET
    carried = [(name, source[name]) for name in ExportForm.CARRIED if source.get(name)]
    context = {"organisation": organisation, "role": role, "form": form, "jobs": jobs, "carried": carried}
    return render(request, "exports/list.html", context)


@login_required
@require_GET
def export_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, ARCHIVE_ROLE)
    job = object_in(services.visible_jobs(organisation), organisation, pk=pk)
    context = {"organisation": organisation, "role": role, "job": job, "ExportState": ExportState}
    if request.headers.get("HX-Request"):
        return render(request, "exports/_progress.html", context)
    return render(request, "exports/detail.html", context)


@login_required
@require_GET
def export_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    organisation, _role = organisation_for(request.user, slug, ARCHIVE_ROLE)
    job = object_in(services.visible_jobs(organisation), organisation, pk=pk)
    if job.state != ExportState.READY or not job.file:
        raise Http404("This export is not ready or has expired.")
    handle = services.open_download(job, request.user, request=request)
    return FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type="application/zip"
    )
