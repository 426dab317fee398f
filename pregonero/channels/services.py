"""Business actions on channels. Each one is audited."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pregonero import crypto
from pregonero.accounts.models import Department, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role, object_in
from pregonero.audit import services as audit
from pregonero.channels import connectors
from pregonero.channels.connectors.base import Connected, Connector, Redirect
from pregonero.channels.models import Channel, Health

DISCONNECTED = gettext_noop("Disconnected by an administrator: reconnect the account to publish again.")


@dataclass(frozen=True)
class PendingConnection:
    """An OAuth connection waiting for the person to come back from the network.

    ``record`` is JSON for the person's session, with the network's part encrypted; ``state``
    is the random value the network sends back, which finds the record again.
    """

    state: str
    url: str
    record: dict


def offered_connectors(*, accounts: bool | None = None) -> list[tuple[str, str]]:
    """The networks people may add, by key and name; one whose code is missing is left out.

    ``accounts``: True for networks where an account is connected, False for channels that
    need only a name (website, bulletin), None for both.
    """
    offered = []
    for key in connectors.REGISTRY:
        try:
            cls = connectors.connector_class(key)
        except (ImportError, LookupError):
            continue
        if accounts is None or (cls.connect_form is not None) == accounts:
            offered.append((key, str(cls.name)))
    return offered


@transaction.atomic
def create_channel(
    organisation: Organisation,
    *,
    actor: Person,
    connector: str,
    name: str,
    owner_department: Department | None = None,
    request=None,
) -> Channel:
    """Add a channel that needs no account (the built-in website and bulletin). Only admins
    add channels (GOV-1); networks with accounts go through :func:`start_connection`."""
    _check_admin(actor, organisation)
    if connector not in dict(offered_connectors(accounts=False)):
        raise ValidationError({"connector": _("Choose one of the networks offered.")})
    name = _check_details(organisation, name, owner_department)
    channel = Channel(
        organisation=organisation, connector=connector, name=name, owner_department=owner_department
    )
    channel.full_clean()
    channel.save()
    audit.record(
        "channel.created",
        actor=actor,
        organisation=organisation,
        obj=channel,
        changes=audit.diff(
            {},
            {
                "connector": connector,
                "name": name,
                "owner_department": owner_department.name if owner_department else "",
            },
        ),
        request=request,
    )
    return channel


def _check_admin(actor: Person, organisation: Organisation) -> None:
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied


def _check_details(
    organisation: Organisation, name: str, owner_department, *, exclude: int | None = None
) -> str:
    if owner_department is not None and owner_department.organisation_id != organisation.pk:
        raise ValidationError({"owner_department": _("Choose a department of this organisation.")})
    name = name.strip()
    same_name = Channel.objects.filter(organisation=organisation, name__iexact=name).exclude(pk=exclude)
    if same_name.exists():
        raise ValidationError({"name": _("There is already a channel called “%(name)s”.") % {"name": name}})
    return name


def connectable(key: str) -> type[Connector] | None:
    """The connector class of an offered network that connects accounts, else None."""
    if key not in dict(offered_connectors(accounts=True)):
        return None
    return connectors.connector_class(key)


def start_connection(
    organisation: Organisation,
    *,
    actor: Person,
    connector: str,
    data: dict,
    return_url: str,
    name: str = "",
    owner_department: Department | None = None,
    channel: Channel | None = None,
    request=None,
) -> Channel | PendingConnection:
    """Connect an account of ``connector``: a new channel, or ``channel`` again (reconnect).

    Networks that connect at once (app passwords, tokens) return the saved channel; OAuth
    networks return a :class:`PendingConnection` for the view to keep and redirect to.
    """
    _check_admin(actor, organisation)
    cls = connectable(connector)
    if cls is None:
        raise ValidationError(_("Choose one of the networks offered."))
    if channel is None:
        name = _check_details(organisation, name, owner_department)
    result = cls.start_connect(data, return_url=return_url)
    if isinstance(result, Redirect):
        return PendingConnection(
            state=result.state,
            url=result.url,
            record={
                "connector": connector,
                "organisation": organisation.pk,
                "channel": channel.pk if channel else None,
                "name": name,
                "owner_department": owner_department.pk if owner_department else None,
                "pending": crypto.encrypt(json.dumps(result.pending)),
            },
        )
    return _save_connection(
        organisation, actor, connector, result, name, owner_department, channel, request=request
    )


def finish_connection(
    organisation: Organisation,
    *,
    actor: Person,
    record: dict,
    answer: Mapping[str, str],
    return_url: str,
    request=None,
) -> Channel:
    """Complete an OAuth connection with the query the network sent the person back with."""
    _check_admin(actor, organisation)
    if record.get("organisation") != organisation.pk:
        raise PermissionDenied
    cls = connectable(record["connector"])
    if cls is None:
        raise ValidationError(_("Choose one of the networks offered."))
    channel = None
    if record.get("channel"):
        channel = object_in(Channel.objects.all(), organisation, pk=record["channel"])
    department = None
    if record.get("owner_department"):
        department = Department.objects.filter(
            organisation=organisation, pk=record["owner_department"]
        ).first()
    pending = json.loads(crypto.decrypt(record["pending"]))
    connected = cls.finish_connect(pending, answer, return_url=return_url)
    name = record.get("name", "")
    if channel is None:
        name = _check_details(organisation, name, department)
    return _save_connection(
        organisation, actor, record["connector"], connected, name, department, channel, request=request
    )


@transaction.atomic
def _save_connection(
    organisation: Organisation,
    actor: Person,
    connector: str,
    connected: Connected,
    name: str,
    owner_department: Department | None,
    channel: Channel | None,
    *,
    request=None,
) -> Channel:
    action = "channel.reconnected" if channel is not None else "channel.connected"
    if channel is None:
        channel = Channel(
            organisation=organisation, connector=connector, name=name, owner_department=owner_department
        )
        before = {}
    else:
        before = {"account": channel.config.get("account", ""), "active": channel.is_active}
    # Settings an admin chose (visibility, room...) survive a reconnection.
    channel.config = {**channel.config, **connected.config, "account": connected.account}
    channel.set_secret_values(connected.secrets)
    channel.is_active = True
    channel.health, channel.health_message = Health.OK, ""
    channel.health_checked_at, channel.consecutive_failures = timezone.now(), 0
    channel.full_clean()
    channel.save()
    audit.record(
        action,
        actor=actor,
        organisation=organisation,
        obj=channel,
        changes=audit.diff(
            before,
            {"connector": connector, "account": connected.account, "active": True, "name": channel.name},
        ),
        request=request,
    )
    return channel


@transaction.atomic
def disconnect_channel(channel: Channel, *, actor: Person, request=None) -> Channel:
    """Give the access back to the network and forget it; the channel and its history stay,
    switched off, until someone reconnects it."""
    _check_admin(actor, channel.organisation)
    with contextlib.suppress(ImportError, LookupError):
        channel.get_connector().disconnect()
    channel.set_secret_values({})
    channel.is_active = False
    channel.health, channel.health_message = Health.BROKEN, DISCONNECTED
    channel.save(update_fields=["secrets", "is_active", "health", "health_message"])
    audit.record(
        "channel.disconnected",
        actor=actor,
        organisation=channel.organisation,
        obj=channel,
        changes={"active": [True, False], "account": [channel.config.get("account", ""), ""]},
        request=request,
    )
    return channel


@transaction.atomic
def update_channel(
    channel: Channel,
    *,
    actor: Person,
    name: str,
    owner_department: Department | None,
    is_active: bool,
    settings: Mapping[str, object] | None = None,
    request=None,
) -> Channel:
    """Change what an admin may change: name, owner, on/off, and the network's settings."""
    organisation = channel.organisation
    _check_admin(actor, organisation)
    name = _check_details(organisation, name, owner_department, exclude=channel.pk)
    if is_active and not channel.is_active and channel.get_connector().connect_form and not channel.secrets:
        raise ValidationError({"is_active": _("Reconnect the account before switching the channel on.")})
    before = {
        "name": channel.name,
        "owner_department": channel.owner_department.name if channel.owner_department else "",
        "active": channel.is_active,
        **{f"settings.{key}": channel.config.get(key) for key in (settings or {})},
    }
    channel.name, channel.owner_department, channel.is_active = name, owner_department, is_active
    channel.config = {**channel.config, **(settings or {})}
    channel.full_clean()
    channel.save()
    after = {
        "name": name,
        "owner_department": owner_department.name if owner_department else "",
        "active": is_active,
        **{f"settings.{key}": value for key, value in (settings or {}).items()},
    }
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            "channel.updated",
            actor=actor,
            organisation=organisation,
            obj=channel,
            changes=changes,
            request=request,
        )
    return channel
