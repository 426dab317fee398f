"""Management screens: organisation settings, departments, members and organisations below.

Each view parses the request, authorises through :mod:`pregonero.accounts.scoping`
(outsiders get 404, members with too low a role 403), calls one function of
:mod:`pregonero.accounts.services` and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregonero.accounts import services
from pregonero.accounts.forms_manage import (
    DepartmentEditForm,
    DepartmentForm,
    InviteForm,
    MembershipForm,
    OrganisationSettingsForm,
    RemoveMembershipForm,
    SubOrganisationForm,
    add_service_errors,
)
from pregonero.accounts.models import Department, Membership
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role, object_in, organisation_for

GET_POST = require_http_methods(["GET", "POST"])


def _posted(request: HttpRequest):
    # ``request.POST or None`` would treat a POST with every box unticked as no POST at all.
    return request.POST if request.method == "POST" else None


@login_required
@GET_POST
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    form = OrganisationSettingsForm(
        _posted(request), initial=OrganisationSettingsForm.initial_for(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                organisation, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            # The service sets values before validating them; show the stored ones in the page.
            organisation.refresh_from_db()
        else:
            messages.success(request, _("The organisation settings have been saved."))
            return redirect("manage:settings", organisation.slug)
    return render(request, "manage/settings.html", {"organisation": organisation, "role": role, "form": form})


@login_required
@GET_POST
def departments(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    can_manage = role == Role.ADMIN
    form = DepartmentForm() if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = DepartmentForm(request.POST)
        if form.is_valid():
            try:
                department = services.create_department(
                    organisation, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Department “%(name)s” created.") % {"name": department.name})
                if not request.htmx:
                    return redirect("manage:departments", organisation.slug)
                form = DepartmentForm()
    context = {
        "organisation": organisation,
        "role": role,
        "can_manage": can_manage,
        "form": form,
        "departments": Department.objects.filter(organisation=organisation).annotate(
            member_count=Count("memberships")
        ),
    }
    # With HTMX only the panel (list and form) is sent back and swapped in place.
    template = "manage/_departments_panel.html" if request.htmx else "manage/departments.html"
    return render(request, template, context)


@login_required
@GET_POST
def department_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    department = object_in(Department.objects.all(), organisation, pk=pk)
    form = DepartmentEditForm(
        _posted(request),
        initial={"name": department.name, "email": department.email, "is_active": department.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_department(department, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            department.refresh_from_db()
        else:
            messages.success(request, _("Department “%(name)s” saved.") % {"name": department.name})
            return redirect("manage:departments", organisation.slug)
    return render(
        request,
        "manage/department_edit.html",
        {"organisation": organisation, "role": role, "department": department, "form": form},
    )


@login_required
@GET_POST
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    can_manage = role == Role.ADMIN
    form = InviteForm(organisation=organisation) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = InviteForm(request.POST, organisation=organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership, invited = services.invite_person(
                    organisation,
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    departments=list(data["departments"]),
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if invited:
                    message = _("An invitation has been sent to %(email)s.")
                else:
                    message = _("%(email)s has been added to the organisation.")
                messages.success(request, message % {"email": membership.person.email})
                return redirect("manage:members", organisation.slug)
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("person", "person__totp_device")
        .prefetch_related("departments")
        .order_by("person__full_name", "person__email")
    )
    return render(
        request,
        "manage/members.html",
        {
            "organisation": organisation,
            "role": role,
            "can_manage": can_manage,
            "form": form,
            "memberships": memberships,
        },
    )


@login_required
@GET_POST
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    membership = object_in(Membership.objects.select_related("person"), organisation, pk=pk)
    current = list(membership.departments.values_list("pk", flat=True))
    form = MembershipForm(
        _posted(request),
        organisation=organisation,
        current=current,
        initial={"role": membership.role, "departments": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_membership(
                organisation,
                membership.person,
                form.cleaned_data["role"],
                list(form.cleaned_data["departments"]),
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes to %(email)s saved.") % {"email": membership.person.email})
            return redirect("manage:members", organisation.slug)
    return render(
        request,
        "manage/member_edit.html",
        {"organisation": organisation, "role": role, "membership": membership, "form": form},
    )


@login_required
@GET_POST
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask for confirmation (GET), then remove the membership (POST with the box ticked)."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    membership = object_in(Membership.objects.select_related("person"), organisation, pk=pk)
    form = RemoveMembershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        email = membership.person.email
        try:
            services.remove_membership(membership, actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(email)s no longer belongs to the organisation.") % {"email": email}
            )
            # Someone who removed themselves can no longer open the members page.
            if effective_role(request.user, organisation) is None:
                return redirect("core:home")
            return redirect("manage:members", organisation.slug)
    return render(
        request,
        "manage/member_remove.html",
        {"organisation": organisation, "role": role, "membership": membership, "form": form},
    )


@login_required
@GET_POST
def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    can_manage = role == Role.ADMIN
    # New organisations usually share the languages and place of the one above them.
    initial = {
        **OrganisationSettingsForm.initial_for(organisation),
        "name": "",
        "kind": "town_hall",
        "municipality_code": "",
        "require_two_factor": True,
    }
    form = SubOrganisationForm(_posted(request), initial=initial) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                child = services.create_organisation(
                    actor=request.user, request=request, parent=organisation, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Organisation “%(name)s” created.") % {"name": child.name})
                return redirect("manage:organisations", organisation.slug)
    tree = [
        {"organisation": item, "depth": item.depth - organisation.depth}
        for item in organisation.descendants().filter(is_active=True).order_by("path")
    ]
    return render(
        request,
        "manage/organisations.html",
        {"organisation": organisation, "role": role, "can_manage": can_manage, "form": form, "tree": tree},
    )
