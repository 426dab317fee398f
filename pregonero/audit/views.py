"""The audit log screens: list with filters, one entry, CSV export (RULES.md GOV-3).

Only auditors (approvers and admins) open them; other members get 403, outsiders 404.
"""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pregonero.accounts.models import Organisation
from pregonero.accounts.roles import AUDITOR_ROLES, Role
from pregonero.accounts.scoping import organisation_for
from pregonero.audit import services as audit
from pregonero.audit.export import csv_lines
from pregonero.audit.forms import AuditFilterForm
from pregonero.audit.services import visible_entries

PAGE_SIZE = 50


def _organisation_for_auditor(request: HttpRequest, slug: str) -> tuple[Organisation, Role]:
    # Outsiders get 404 from organisation_for(); members who are not auditors get 403.
    organisation, role = organisation_for(request.user, slug)
    if role not in AUDITOR_ROLES:
        raise PermissionDenied
    return organisation, role


def _filter_form(request: HttpRequest, organisation: Organisation) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET, entries=visible_entries(organisation), time_zone=organisation.time_zone
    )


@login_required
@require_GET
def entry_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = _organisation_for_auditor(request, slug)
    form = _filter_form(request, organisation)
    entries = (
        form.filter(visible_entries(organisation))
        if form.is_valid()
        else visible_entries(organisation).none()
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {"organisation": organisation, "role": role, "form": form, "page": page, "entries": page.object_list},
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = _organisation_for_auditor(request, slug)
    entry = visible_entries(organisation).select_related("actor", "organisation").filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry.")
    changes = [
        {"field": field, "before": values[0], "after": values[1]}
        if isinstance(values, list) and len(values) == 2
        else {"field": field, "before": None, "after": values}
        for field, values in sorted(entry.changes.items())
    ]
    return render(
        request,
        "audit/detail.html",
        {"organisation": organisation, "role": role, "entry": entry, "changes": changes},
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _role = _organisation_for_auditor(request, slug)
    form = _filter_form(request, organisation)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain; charset=utf-8")
    # Who took a copy of the log, and of which part, is itself on the record.
    audit.record(
        "audit.exported",
        actor=request.user,
        organisation=organisation,
        details={"filters": form.applied()},
        request=request,
    )
    entries = form.filter(visible_entries(organisation)).iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        csv_lines(entries, organisation.time_zone), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime(timezone=zoneinfo.ZoneInfo(organisation.time_zone))
    filename = f"audit-{organisation.slug}-{stamp:%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
