"""Compliance screens: overview, elections, rule settings and the election review (ELEC-4).

Removal orders (ELEC-6) are in :mod:`.views_removals`.

Each view parses the request, authorises through :mod:`pregonero.accounts.scoping` (outsiders
get 404, members with too low a role 403), calls one service and renders. Elections and rule
settings are for admins; the election review for approvers and admins.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.checks import elections as law
from pregonero.compliance import elections, freeze, removals, rulesettings
from pregonero.compliance.forms import (
    ElectionForm,
    ProfileForm,
    ReviewDecisionForm,
    RuleSettingsForm,
    describe_changes,
)
from pregonero.compliance.http import GET_POST, post_only, posted
from pregonero.compliance.models import Election, ElectionReview, ReviewReason, ReviewStatus
from pregonero.compliance.profiles import PROFILES


def _held_message(held: int) -> str:
    return ngettext(
        "The period is open: %(count)d scheduled post is held for review.",
        "The period is open: %(count)d scheduled posts are held for review.",
        held,
    ) % {"count": held}


def _period_row(election: Election, organisation, today) -> dict:
    windows = election.windows
    return {
        "election": election,
        "windows": windows,
        "pre_campaign_end": windows.campaign_start - timedelta(days=1),
        "phase": law.phase(windows, today),
        "binds": elections.binds(election, organisation),
        "own": election.organisation_id == organisation.pk,
    }


# Overview


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The elections that bind the organisation and are not over, with today's phase."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.APPROVER)
    today = elections.local_today(organisation)
    rows = [
        _period_row(election, organisation, today)
        for election in elections.elections_binding(organisation, ending_on_or_after=today)
    ]
    open_orders = list(removals.open_orders(organisation))
    return render(
        request,
        "compliance/overview.html",
        {
            "organisation": organisation,
            "role": role,
            "rows": rows,
            "pending": freeze.pending_reviews(organisation).count(),
            "open_orders": len(open_orders),
            "next_order": open_orders[0] if open_orders else None,
            "now": timezone.now(),
            "settings_in_force": rulesettings.in_force(organisation),
        },
    )


# Elections


@login_required
@require_GET
def election_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    today = elections.local_today(organisation)
    rows = [
        _period_row(election, organisation, today)
        for election in elections.visible_elections(organisation).order_by("-opens_on", "name")
    ]
    return render(
        request, "compliance/elections.html", {"organisation": organisation, "role": role, "rows": rows}
    )


@login_required
@GET_POST
def election_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    form = ElectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            _election, held = elections.create_election(
                organisation, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The election has been added."))
            if held:
                messages.warning(request, _held_message(held))
            return redirect("compliance:elections", organisation.slug)
    return render(
        request,
        "compliance/election_form.html",
        {"organisation": organisation, "role": role, "form": form, "election": None},
    )


@login_required
@GET_POST
def election_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    election = object_in(Election.objects.all(), organisation, pk=pk)
    form = ElectionForm(posted(request), initial=ElectionForm.initial_for(election))
    if request.method == "POST" and form.is_valid():
        try:
            _election, held = elections.update_election(
                election, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            election.refresh_from_db()
        else:
            messages.success(request, _("The election has been saved."))
            if held:
                messages.warning(request, _held_message(held))
            return redirect("compliance:elections", organisation.slug)
    return render(
        request,
        "compliance/election_form.html",
        {"organisation": organisation, "role": role, "form": form, "election": election},
    )


@login_required
@GET_POST
def election_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    election = object_in(Election.objects.all(), organisation, pk=pk)
    if request.method == "POST":
        released = elections.delete_election(election, actor=request.user, request=request)
        messages.success(
            request,
            ngettext(
                "The election has been deleted; %(count)d post it held is back in the queue.",
                "The election has been deleted; %(count)d posts it held are back in the queue.",
                released,
            )
            % {"count": released},
        )
        return redirect("compliance:elections", organisation.slug)
    pending = ElectionReview.objects.filter(election=election, status=ReviewStatus.PENDING).count()
    return render(
        request,
        "compliance/election_delete.html",
        {"organisation": organisation, "role": role, "election": election, "pending": pending},
    )


# Rule settings


@login_required
@GET_POST
def rule_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    form = RuleSettingsForm(posted(request), initial=_settings_initial(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            version = rulesettings.save_version(
                organisation,
                actor=request.user,
                values=form.values(),
                based_on=form.cleaned_data["based_on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, organisation, version)
    return _settings_page(request, organisation, role, form=form)


@login_required
@post_only
def apply_profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    profile_form = ProfileForm(request.POST)
    if profile_form.is_valid():
        try:
            version = rulesettings.apply_profile(
                organisation,
                profile_form.cleaned_data["profile"],
                actor=request.user,
                based_on=profile_form.cleaned_data["based_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(profile_form, error)
        else:
            return _saved(request, organisation, version)
    return _settings_page(request, organisation, role, profile_form=profile_form)


def _settings_initial(organisation) -> dict:
    current = rulesettings.in_force(organisation)
    return RuleSettingsForm.initial_for(current.values, current.own_number(organisation))


def _saved(request: HttpRequest, organisation, version) -> HttpResponse:
    message = _("Version %(number)d of the rule settings is in force.") % {"number": version.number}
    messages.success(request, message)
    return redirect("compliance:settings", organisation.slug)


def _settings_page(request, organisation, role, *, form=None, profile_form=None) -> HttpResponse:
    current = rulesettings.in_force(organisation)
    based_on = current.own_number(organisation)
    return render(
        request,
        "compliance/settings.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form or RuleSettingsForm(initial=_settings_initial(organisation)),
            "profile_form": profile_form or ProfileForm(initial={"based_on": based_on}),
            "profiles": PROFILES,
            "current": current,
            "history": [
                (version, describe_changes(version.changes)) for version in rulesettings.history(organisation)
            ],
        },
    )


# Election review (ELEC-4)


@login_required
@require_GET
def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.APPROVER)
    pending = list(freeze.pending_reviews(organisation))
    return _review_page(request, organisation, role, pending, {})


def _review_page(request, organisation, role, pending, forms_by_pk) -> HttpResponse:
    for review in pending:
        review.form = forms_by_pk.get(review.pk) or ReviewDecisionForm(prefix=f"review-{review.pk}")
    return render(
        request,
        "compliance/review.html",
        {
            "organisation": organisation,
            "role": role,
            "scheduled": [review for review in pending if review.reason == ReviewReason.SCHEDULED],
            "published": [review for review in pending if review.reason == ReviewReason.PUBLISHED],
            "decided": freeze.decided_reviews(organisation)[:50],
        },
    )


@login_required
@post_only
def review_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.APPROVER)
    review = object_in(ElectionReview.objects.select_related("post"), organisation, pk=pk)
    form = ReviewDecisionForm(request.POST, prefix=f"review-{review.pk}")
    if form.is_valid():
        try:
            freeze.decide(
                review,
                form.cleaned_data["decision"],
                actor=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your decision on “%(post)s” is recorded.") % {"post": review.post})
            return redirect("compliance:review", organisation.slug)
    pending = list(freeze.pending_reviews(organisation))
    if review not in pending:
        # Decided meanwhile by someone else: there is no form left to show the error on.
        for message in form.errors.get("__all__", []):
            messages.error(request, message)
        return redirect("compliance:review", organisation.slug)
    return _review_page(request, organisation, role, pending, {review.pk: form})
