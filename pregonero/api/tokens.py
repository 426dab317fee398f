"""API tokens: creating, revoking and recognising them.

A token reads ``pgr_<prefix>_<secret>``. The prefix finds the row; the whole token's SHA-256
is compared in constant time. SHA-256 rather than a slow password hash: the secret is 256
random bits, so there is nothing to guess, and every API request checks it.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import ipaddress
import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.api.models import READ_ONLY_RESOURCES, WRITE_ONLY_RESOURCES, Access, ApiToken, Resource
from pregonero.audit import services as audit

TOKEN_PREFIX = "pgr_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_networks(lines: list[str]) -> list[str]:
    """Normalise an allowed-address list; refuse what is not an address or network."""
    networks = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        try:
            networks.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            raise ValidationError(
                {"allowed_addresses": _("“%(value)s” is not an IP address or network.") % {"value": text}}
            ) from None
    return networks


def address_allowed(token: ApiToken, address: str) -> bool:
    if not token.allowed_addresses:
        return True
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network) for network in token.allowed_addresses)


def clean_scopes(scopes: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for resource, access in scopes.items():
        if not access:
            continue
        if resource not in Resource.values or access not in Access.values:
            raise ValidationError({"scopes": _("Unknown scope.")})
        if resource in READ_ONLY_RESOURCES:
            access = Access.READ
        if resource in WRITE_ONLY_RESOURCES:
            access = Access.WRITE
        cleaned[resource] = access
    if not cleaned:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    return cleaned


@transaction.atomic
def create_token(
    organisation: Organisation,
    *,
    actor: Person,
    name: str,
    role: str,
    scopes: dict[str, str],
    expires_at: datetime | None = None,
    allowed_addresses: list[str] | None = None,
    request=None,
) -> tuple[ApiToken, str]:
    """Create a token for ``organisation``; return it with its secret, which is never shown again.

    Only admins create tokens, and a token's role never exceeds its creator's (GOV-4).
    """
    own = effective_role(actor, organisation)
    if own != Role.ADMIN:
        raise PermissionDenied
    if not own.at_least(role):
        raise ValidationError({"role": _("A token cannot have a higher role than yours.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose a time in the future.")})
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secret}"
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        role=Role(role),
        scopes=clean_scopes(scopes),
        prefix=prefix,
        digest=_digest(plaintext),
        expires_at=expires_at,
        allowed_addresses=parse_networks(allowed_addresses or []),
        created_by=actor,
    )
    audit.record(
        "api_token.created",
        actor=actor,
        organisation=organisation,
        obj=token,
        changes=audit.diff({}, _state(token)),
        request=request,
    )
    return token, plaintext


def _state(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "role": token.role,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
        "allowed_addresses": token.allowed_addresses,
    }


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Person, request=None) -> ApiToken:
    """Stop the token at once: the next request it makes is refused."""
    if effective_role(actor, token.organisation) != Role.ADMIN:
        raise PermissionDenied
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    token.refresh_from_db()
    if changed:
        audit.record(
            "api_token.revoked", actor=actor, organisation=token.organisation, obj=token, request=request
        )
    return token


def find(plaintext: str) -> ApiToken | None:
    """The token row ``plaintext`` is the secret of, or None; revoked and expired ones too."""
    if not plaintext.startswith(TOKEN_PREFIX) or "\x00" in plaintext:
        return None
    prefix, _sep, secret = plaintext.removeprefix(TOKEN_PREFIX).partition("_")
    if not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("organisation", "created_by").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(plaintext)):
        return None
    return token


def acting_person(token: ApiToken) -> Person:
    """The token's creator as the services see them: with at most the token's role."""
    person = copy.copy(token.created_by)
    person.role_ceiling = Role(token.role)
    return person
