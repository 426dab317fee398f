"""The channels pages: every account with its health; admins connect, edit and disconnect.

Parses, authorises through :mod:`pregonero.accounts.scoping`, calls one service, renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.channels import health, services
from pregonero.channels.connectors.base import ConnectorError
from pregonero.channels.forms import ChannelEditForm, ChannelForm, ConnectDetailsForm
from pregonero.channels.models import Channel
from pregonero.core.i18n import stored_message
from pregonero.publishing.views import post_only

# The OAuth connection waiting for the person to come back from the network.
PENDING_KEY = "channels.pending_connection"


def _described(channel: Channel) -> dict:
    """A channel with its network's name, or a warning when the connector's code is missing."""
    try:
        connector = channel.get_connector()
    except (ImportError, LookupError):
        return {"channel": channel, "network": channel.connector, "limits": None, "missing": True}
    return {
        "channel": channel,
        "network": connector.name,
        "limits": connector.limits,
        "missing": False,
        "has_account": connector.connect_form is not None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    can_manage = role == Role.ADMIN
    form = ChannelForm(organisation=organisation) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = ChannelForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                channel = services.create_channel(
                    organisation, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Channel “%(name)s” added.") % {"name": channel.name})
                return redirect("channels:list", organisation.slug)
    channels = Channel.objects.filter(organisation=organisation).select_related("owner_department")
    return render(
        request,
        "channels/list.html",
        {
            "organisation": organisation,
            "role": role,
            "can_manage": can_manage,
            "form": form,
            "networks": services.offered_connectors(accounts=True) if can_manage else [],
            "channels": [_described(channel) for channel in channels],
        },
    )


def _return_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(reverse("channels:connect_return", args=[slug]))


def _connect(request: HttpRequest, organisation, network: str, channel: Channel | None) -> HttpResponse:
    """The connect form of ``network`` (for a new channel, or to reconnect ``channel``)."""
    cls = services.connectable(network)
    if cls is None:
        raise Http404("No such network.")
    data = request.POST if request.method == "POST" else None
    details = ConnectDetailsForm(data, organisation=organisation) if channel is None else None
    account_form = cls.connect_form(data, prefix="account")
    if request.method == "POST" and account_form.is_valid() and (details is None or details.is_valid()):
        try:
            result = services.start_connection(
                organisation,
                actor=request.user,
                connector=network,
                data=account_form.cleaned_data,
                return_url=_return_url(request, organisation.slug),
                channel=channel,
                request=request,
                **(details.cleaned_data if details is not None else {}),
            )
        except ValidationError as error:
            add_service_errors(details or account_form, error)
        except ConnectorError as error:
            account_form.add_error(None, stored_message(error.message, error.params))
        else:
            if isinstance(result, services.PendingConnection):
                request.session[PENDING_KEY] = {"state": result.state, **result.record}
                return redirect(result.url)
            messages.success(request, _("Account connected to “%(name)s”.") % {"name": result.name})
            return redirect("channels:list", organisation.slug)
    return render(
        request,
        "channels/connect.html",
        {
            "organisation": organisation,
            "network": cls.name,
            "channel": channel,
            "details": details,
            "account_form": account_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest, slug: str, network: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    return _connect(request, organisation, network, None)


@login_required
@require_http_methods(["GET", "POST"])
def reconnect(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    channel = object_in(Channel.objects.all(), organisation, pk=pk)
    return _connect(request, organisation, channel.connector, channel)


@login_required
@require_GET
def connect_return(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the network sends the admin back after they allowed (or refused) access."""
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    record = request.session.get(PENDING_KEY) or {}
    if not record or record.get("state") != request.GET.get("state"):
        messages.error(request, _("This connection attempt is no longer valid. Start connecting again."))
        return redirect("channels:list", organisation.slug)
    del request.session[PENDING_KEY]
    try:
        channel = services.finish_connection(
            organisation,
            actor=request.user,
            record=record,
            answer=request.GET.dict(),
            return_url=_return_url(request, organisation.slug),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ConnectorError as error:
        messages.error(request, stored_message(error.message, error.params))
    else:
        messages.success(request, _("Account connected to “%(name)s”.") % {"name": channel.name})
    return redirect("channels:list", organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    channel = object_in(Channel.objects.select_related("owner_department"), organisation, pk=pk)
    described = _described(channel)
    settings_cls = None if described["missing"] else channel.get_connector().settings_form
    initial = {
        "name": channel.name,
        "owner_department": channel.owner_department,
        "is_active": channel.is_active,
    }
    data = request.POST if request.method == "POST" else None
    form = ChannelEditForm(data, organisation=organisation, initial=initial)
    settings_form = (
        settings_cls(data, prefix="settings", initial={**channel.config})
        if settings_cls is not None
        else None
    )
    if request.method == "POST" and form.is_valid() and (settings_form is None or settings_form.is_valid()):
        try:
            services.update_channel(
                channel,
                actor=request.user,
                settings=settings_form.cleaned_data if settings_form is not None else None,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Channel “%(name)s” saved.") % {"name": channel.name})
            return redirect("channels:list", organisation.slug)
    return render(
        request,
        "channels/edit.html",
        {"organisation": organisation, "item": described, "form": form, "settings_form": settings_form},
    )


@login_required
@post_only
def disconnect(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    channel = object_in(Channel.objects.all(), organisation, pk=pk)
    services.disconnect_channel(channel, actor=request.user, request=request)
    messages.success(request, _("“%(name)s” disconnected and switched off.") % {"name": channel.name})
    return redirect("channels:list", organisation.slug)


@login_required
@post_only
def check_now(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    channel = object_in(Channel.objects.all(), organisation, pk=pk)
    health.check(channel)
    messages.info(
        request,
        _("“%(name)s” checked: %(health)s.") % {"name": channel.name, "health": channel.get_health_display()},
    )
    return redirect("channels:list", organisation.slug)
