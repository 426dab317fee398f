"""Retention settings, legal holds and data-subject requests: administrators only (DATA-5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.archive.services import KEEPER_ROLE
from pregonero.publishing.views import GET_POST, post_only
from pregonero.retention import services
from pregonero.retention.forms import CloseForm, HoldForm, PolicyForm, RequestForm
from pregonero.retention.models import DataSubjectRequest, LegalHold, RequestKind

FOUND_SHOWN = 200


def _organisation(request: HttpRequest, slug: str):
    organisation, _role = organisation_for(request.user, slug, minimum=KEEPER_ROLE)
    return organisation


@login_required
@GET_POST
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    policies = {policy.category: policy for policy in organisation.retention_policies.all()}
    which = request.POST.get("form")
    policy_form = PolicyForm(request.POST if which == "policies" else None, policies=policies)
    hold_form = HoldForm(request.POST if which == "hold" else None, prefix="hold")
    if which == "policies" and policy_form.is_valid():
        services.save_policies(
            organisation, actor=request.user, data=policy_form.cleaned_data, request=request
        )
        messages.success(request, _("Retention policies saved."))
        return redirect("retention:settings", organisation.slug)
    if which == "hold" and hold_form.is_valid():
        hold = hold_form.save(commit=False)
        hold.conversations = hold_form.cleaned_data["conversation_numbers"]
        try:
            services.place_hold(organisation, actor=request.user, hold=hold, request=request)
        except ValidationError as error:
            add_service_errors(hold_form, error)
        else:
            messages.success(
                request, _("Legal hold placed: nothing it covers will expire until it is released.")
            )
            return redirect("retention:settings", organisation.slug)
    holds = LegalHold.objects.filter(organisation=organisation).select_related("created_by", "released_by")
    return render(
        request,
        "retention/settings.html",
        {"organisation": organisation, "policy_form": policy_form, "hold_form": hold_form, "holds": holds},
    )


@login_required
@post_only
def release_hold(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    hold = object_in(LegalHold.objects, organisation, pk=pk)
    services.release_hold(hold, actor=request.user, request=request)
    messages.success(request, _("Legal hold released."))
    return redirect("retention:settings", organisation.slug)


@login_required
@post_only
def run_now(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    report = services.run(organisation=organisation)
    messages.success(
        request,
        _(
            "Retention run finished: %(blocked)s records blocked, %(destroyed)s destroyed, "
            "%(held)s kept by a legal hold."
        )
        % {"blocked": report.blocked, "destroyed": report.destroyed, "held": report.held},
    )
    return redirect("retention:settings", organisation.slug)


@login_required
@GET_POST
def requests_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.identifiers = form.cleaned_data["identifier_lines"]
        try:
            services.open_request(organisation, actor=request.user, request_row=row, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("retention:request", organisation.slug, row.pk)
    rows = DataSubjectRequest.objects.filter(organisation=organisation)
    return render(
        request, "retention/requests.html", {"organisation": organisation, "form": form, "rows": rows}
    )


@login_required
@GET_POST
def request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    row = object_in(DataSubjectRequest.objects, organisation, pk=pk)
    close_form = CloseForm(request.POST if request.POST.get("form") == "close" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "erase":
                count = services.erase(row, actor=request.user, request=request)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s record blocked; the inbox's copy is erased. "
                        "It will be destroyed when the blocking period ends.",
                        "%(count)s records blocked; the inbox's copy is erased. "
                        "They will be destroyed when the blocking period ends.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("retention:request", organisation.slug, row.pk)
            if close_form.is_valid():
                services.close(
                    row, actor=request.user, state=close_form.cleaned_data["state"], request=request
                )
                messages.success(request, _("Request closed."))
                return redirect("retention:request", organisation.slug, row.pk)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
    found = services.found_for(row).order_by("captured_at", "seq")
    return render(
        request,
        "retention/request.html",
        {
            "organisation": organisation,
            "row": row,
            "found": found[:FOUND_SHOWN],
            "found_count": found.count(),
            "shown": FOUND_SHOWN,
            "close_form": close_form,
            "erasable": row.kind == RequestKind.ERASURE and row.blocked_at is None,
        },
    )
