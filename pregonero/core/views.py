from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from pregonero.accounts.models import Department, Membership
from pregonero.accounts.roles import AUDITOR_ROLES
from pregonero.accounts.scoping import accessible_organisations, organisation_for
from pregonero.audit.models import AuditEntry


@login_required
def home(request):
    organisations = list(accessible_organisations(request.user))
    if len(organisations) == 1:
        return redirect("core:dashboard", slug=organisations[0].slug)
    return render(request, "core/home.html", {"organisations": organisations})


@login_required
def dashboard(request, slug: str):
    organisation, role = organisation_for(request.user, slug)
    context = {
        "organisation": organisation,
        "role": role,
        "departments": Department.objects.filter(organisation=organisation, is_active=True),
        "members": Membership.objects.filter(organisation=organisation).select_related("person"),
        "children": organisation.children.filter(is_active=True),
        "recent_entries": (
            AuditEntry.objects.filter(organisation=organisation)[:10] if role in AUDITOR_ROLES else None
        ),
    }
    return render(request, "core/dashboard.html", context)
