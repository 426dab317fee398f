"""The channels page: every connected account with its health; admins add new ones.

Parses, authorises through :mod:`pregonero.accounts.scoping`, calls one service, renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import organisation_for
from pregonero.channels import services
from pregonero.channels.forms import ChannelForm
from pregonero.channels.models import Channel


def _described(channel: Channel) -> dict:
    """A channel with its network's name, or a warning when the connector's code is missing."""
    try:
        connector = channel.get_connector()
    except (ImportError, LookupError):
        return {"channel": channel, "network": channel.connector, "limits": None, "missing": True}
    return {"channel": channel, "network": connector.name, "limits": connector.limits, "missing": False}


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
            "channels": [_described(channel) for channel in channels],
        },
    )
