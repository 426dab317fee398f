"""Admins' side of the public pages: which accounts the official channels page lists, and the
data-protection notice and accessibility statement in each official language.

Parses, authorises through :mod:`pregonero.accounts.scoping` (admins only), calls one
service, renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.public import news, registry, texts
from pregonero.public.forms_manage import (
    AccessibilityStatementForm,
    ChannelListingForm,
    OfficialAccountForm,
    PrivacyNoticeForm,
)
from pregonero.public.models import OfficialAccount
from pregonero.publishing.views import post_only


@login_required
@require_http_methods(["GET"])
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, Role.ADMIN)
    channels = [
        {
            "channel": channel,
            "entry": registry.channel_entry(channel),
            "listing": registry.listing_of(channel),
        }
        for channel in registry.account_channels(organisation)
    ]
    accounts = OfficialAccount.objects.filter(organisation=organisation, channel__isnull=True)
    return render(
        request,
        "public/manage/overview.html",
        {
            "organisation": organisation,
            "channels": channels,
            "accounts": accounts,
            "languages": news.organisation_languages(organisation),
            "form": OfficialAccountForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_listing(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, Role.ADMIN)
    channel = object_in(registry.account_channels(organisation), organisation, pk=pk)
    listing = registry.listing_of(channel)
    initial = {"listed": listing.listed if listing else True, "url": listing.url if listing else ""}
    form = ChannelListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        registry.set_listed(channel, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The official channels page was updated."))
        return redirect("public_manage:overview", organisation.slug)
    return render(
        request,
        "public/manage/channel.html",
        {
            "organisation": organisation,
            "channel": channel,
            "entry": registry.channel_entry(channel),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, Role.ADMIN)
    row = None
    if pk is not None:
        row = object_in(OfficialAccount.objects.filter(channel__isnull=True), organisation, pk=pk)
    form = OfficialAccountForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in OfficialAccountForm.Meta.fields}
        registry.save_account(organisation, row, actor=request.user, request=request, **values)
        messages.success(request, _("The official channels page was updated."))
        return redirect("public_manage:overview", organisation.slug)
    return render(
        request, "public/manage/account.html", {"organisation": organisation, "row": row, "form": form}
    )


@login_required
@post_only
def account_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, Role.ADMIN)
    row = object_in(OfficialAccount.objects.filter(channel__isnull=True), organisation, pk=pk)
    registry.remove_account(row, actor=request.user, request=request)
    messages.success(request, _("The account was removed from the official channels page."))
    return redirect("public_manage:overview", organisation.slug)


def _language_of(organisation, language: str) -> str:
    if language not in news.organisation_languages(organisation):
        raise Http404("Not an official language of the organisation.")
    return language


@login_required
@require_http_methods(["GET", "POST"])
def privacy_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, Role.ADMIN)
    language = _language_of(organisation, language)
    form = PrivacyNoticeForm(request.POST or None, instance=texts.privacy_notice(organisation, language))
    if request.method == "POST" and form.is_valid():
        texts.save_privacy(organisation, language, form.cleaned_data, actor=request.user, request=request)
        messages.success(request, _("The data-protection notice was saved."))
        return redirect("public_manage:overview", organisation.slug)
    return render(
        request,
        "public/manage/text.html",
        {
            "organisation": organisation,
            "form": form,
            "language": language,
            "title": _("Data-protection notice"),
            "public_url_name": "public:privacy",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accessibility_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, Role.ADMIN)
    language = _language_of(organisation, language)
    statement = texts.accessibility_statement(organisation, language)
    form = AccessibilityStatementForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        texts.save_statement(organisation, language, form.cleaned_data, actor=request.user, request=request)
        messages.success(request, _("The accessibility statement was saved."))
        return redirect("public_manage:overview", organisation.slug)
    return render(
        request,
        "public/manage/text.html",
        {
            "organisation": organisation,
            "form": form,
            "language": language,
            "title": _("Accessibility statement"),
            "public_url_name": "public:accessibility",
        },
    )
