"""Screens of the API: the reference page, and the admins' tokens and webhooks.

The admin screens parse, authorise through :func:`organisation_for` (admins only; outsiders
404), call one service of :mod:`.tokens` or :mod:`.webhooks` and render. A new token's or
endpoint's secret is shown on the page that answers its creation, and never again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.api import tokens, webhooks
from pregonero.api.forms import EndpointForm, TokenForm
from pregonero.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from pregonero.api.reference import operations
from pregonero.publishing.views import post_only

GET_POST = require_http_methods(["GET", "POST"])


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference, rendered from the generated OpenAPI document: no script, no other host."""
    return render(request, "api/docs.html", {"groups": operations()})


@login_required
@GET_POST
def token_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    form = TokenForm(request.POST or None, organisation=organisation)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.create_token(
                organisation, actor=request.user, request=request, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm(organisation=organisation)
    context = {
        "organisation": organisation,
        "role": role,
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(organisation=organisation).select_related(
            "created_by", "revoked_by"
        ),
    }
    return render(request, "api/tokens.html", context)


@login_required
@post_only
def token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    token = object_in(ApiToken.objects.all(), organisation, pk=pk)
    tokens.revoke_token(token, actor=request.user, request=request)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api_admin:tokens", organisation.slug)


@login_required
@GET_POST
def endpoint_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    form = EndpointForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        created, secret = webhooks.create_endpoint(
            organisation, actor=request.user, request=request, **form.cleaned_data
        )
        form = EndpointForm()
    context = {
        "organisation": organisation,
        "role": role,
        "form": form,
        "created": created,
        "secret": secret,
        "endpoints": WebhookEndpoint.objects.filter(organisation=organisation),
    }
    return render(request, "api/webhooks.html", context)


@login_required
@GET_POST
def endpoint_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    endpoint = object_in(WebhookEndpoint.objects.all(), organisation, pk=pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        webhooks.set_active(endpoint, actor=request.user, active=active, request=request)
        messages.success(request, _("Deliveries resumed.") if active else _("Deliveries paused."))
        return redirect("api_admin:webhook", organisation.slug, endpoint.pk)
    context = {
        "organisation": organisation,
        "role": role,
        "endpoint": endpoint,
        "deliveries": endpoint.deliveries.all()[:100],
    }
    return render(request, "api/webhook.html", context)


@login_required
@post_only
def delivery_resend(request: HttpRequest, slug: str, pk: int, delivery: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    endpoint = object_in(WebhookEndpoint.objects.all(), organisation, pk=pk)
    original = object_in(WebhookDelivery.objects.all(), endpoint, field="endpoint", pk=delivery)
    webhooks.resend(original, actor=request.user, request=request)
    messages.success(request, _("The event will be sent again in a moment."))
    return redirect("api_admin:webhook", organisation.slug, endpoint.pk)
