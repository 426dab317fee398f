"""ELEC-6 screens: an electoral board's removal orders, their 24-hour countdown and evidence pack.

For approvers and administrators, like the election review. Each view parses, authorises through
:mod:`pregonero.accounts.scoping`, calls one function of :mod:`.removals` and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.compliance import removals
from pregonero.compliance.forms import CompliedForm, EvidenceForm, RemovalOrderForm
from pregonero.compliance.http import GET_POST, post_only, posted
from pregonero.compliance.models import RemovalEvidence, RemovalOrder
from pregonero.publishing.scheduling import local_to_utc


def _order_in(request: HttpRequest, slug: str, pk: int):
    organisation, role = organisation_for(request.user, slug, minimum=Role.APPROVER)
    order = object_in(RemovalOrder.objects.select_related("post", "organisation"), organisation, pk=pk)
    return organisation, role, order


@login_required
@require_GET
def removal_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.APPROVER)
    return render(
        request,
        "compliance/removals.html",
        {
            "organisation": organisation,
            "role": role,
            "orders": removals.orders(organisation),
            "now": timezone.now(),
        },
    )


@login_required
@GET_POST
def removal_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.APPROVER)
    form = RemovalOrderForm(posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The repeated hour of the night clocks go back: the first one, as the board's stamp
            # would rarely say which.
            received_at = local_to_utc(organisation, data["received_at"], fold=0)
            order = removals.record_order(
                organisation,
                actor=request.user,
                board=data["board"],
                reference=data["reference"],
                received_at=received_at,
                post=data["post"],
                content=data["content"],
                request=request,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"received_at": error.messages})
            add_service_errors(form, error)
        else:
            messages.success(request, _("The order is recorded; the 24 hours run from when it was received."))
            return redirect("compliance:removal_detail", organisation.slug, order.pk)
    return render(
        request, "compliance/removal_new.html", {"organisation": organisation, "role": role, "form": form}
    )


def _detail(request, organisation, role, order, *, evidence_form=None, complied_form=None) -> HttpResponse:
    return render(
        request,
        "compliance/removal_detail.html",
        {
            "organisation": organisation,
            "role": role,
            "order": order,
            "evidence": order.evidence.select_related("uploaded_by"),
            "evidence_form": evidence_form or EvidenceForm(),
            "complied_form": complied_form or CompliedForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def removal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, order = _order_in(request, slug, pk)
    return _detail(request, organisation, role, order)


@login_required
@post_only
def removal_evidence_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, order = _order_in(request, slug, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            removals.add_evidence(order, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file is in the evidence pack."))
            return redirect("compliance:removal_detail", organisation.slug, order.pk)
    return _detail(request, organisation, role, order, evidence_form=form)


@login_required
@require_GET
def removal_evidence_file(request: HttpRequest, slug: str, pk: int, evidence_pk: int) -> FileResponse:
    """A file of the pack, always as a download: it may be an image a browser would render."""
    organisation, _role, order = _order_in(request, slug, pk)
    evidence = object_in(RemovalEvidence.objects.all(), order, field="order", pk=evidence_pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.filename, content_type=evidence.mime
    )


@login_required
@post_only
def removal_complied(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, order = _order_in(request, slug, pk)
    form = CompliedForm(request.POST)
    if form.is_valid():
        try:
            removals.mark_complied(order, actor=request.user, note=form.cleaned_data["note"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The order is marked as complied with."))
            return redirect("compliance:removal_detail", organisation.slug, order.pk)
    return _detail(request, organisation, role, order, complied_form=form)
