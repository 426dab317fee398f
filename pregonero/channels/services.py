"""Business actions on channels. Each one is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pregonero.accounts.models import Department, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.channels import connectors
from pregonero.channels.models import Channel


def offered_connectors() -> list[tuple[str, str]]:
    """The networks people may add, by key and name; one whose code is missing is left out."""
    offered = []
    for key in connectors.REGISTRY:
        try:
            offered.append((key, str(connectors.connector_class(key).name)))
        except (ImportError, LookupError):
            continue
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
    """Add a channel of a registered connector. Only admins connect accounts (GOV-1)."""
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied
    if connector not in dict(offered_connectors()):
        raise ValidationError({"connector": _("Choose one of the networks offered.")})
    if owner_department is not None and owner_department.organisation_id != organisation.pk:
        raise ValidationError({"owner_department": _("Choose a department of this organisation.")})
    name = name.strip()
    if Channel.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a channel called “%(name)s”.") % {"name": name}})
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
