"""The start page (which organisation?) and each organisation's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pregonero.accounts.models import Department, Membership
from pregonero.accounts.roles import AUDITOR_ROLES, Role
from pregonero.accounts.scoping import accessible_organisations, organisation_for
from pregonero.audit.services import visible_entries

RECENT_ENTRIES = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = list(accessible_organisations(request.user))
    if len(organisations) == 1:
        return redirect("core:dashboard", slug=organisations[0].slug)
    return render(request, "core/home.html", {"organisations": organisations})


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    below = [
        {"organisation": item, "depth": item.depth - organisation.depth}
        for item in organisation.descendants(include_self=False).filter(is_active=True).order_by("path")
    ]
    context = {
        "organisation": organisation,
        "role": role,
        "is_admin": role == Role.ADMIN,
        "departments": Department.objects.filter(organisation=organisation, is_active=True),
        "members": (
            Membership.objects.filter(organisation=organisation)
            .select_related("person", "person__totp_device")
            .order_by("person__full_name", "person__email")
        ),
        "below": below,
        # Only auditors see the log; for the others the section is left out, not emptied.
        "recent_entries": (
            list(visible_entries(organisation)[:RECENT_ENTRIES]) if role in AUDITOR_ROLES else None
        ),
    }
    return render(request, "core/dashboard.html", context)
