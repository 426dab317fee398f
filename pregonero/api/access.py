"""The API's door to an organisation: the interface's scoping helper, plus the token's scopes.

A token reaches exactly its own organisation. Any other slug is 404, exactly as for a person
of another organisation; then :func:`organisation_for` answers for the token's creator
carrying the token's role as a ceiling (404 without access, 403 below ``minimum``); then the
token's scope for the resource is checked (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pregonero.accounts.models import Organisation
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import organisation_for
from pregonero.api.models import Access


def reach(
    request, slug: str, resource: str, access: str = Access.READ, minimum: Role = Role.READER
) -> Organisation:
    return reach_as(request, slug, resource, access, minimum)[0]


def reach_as(
    request, slug: str, resource: str, access: str = Access.READ, minimum: Role = Role.READER
) -> tuple[Organisation, Role]:
    """:func:`reach`, with the role the token acts with there (for role-scoped lists)."""
    token = request.auth
    if slug != token.organisation.slug:
        raise Http404
    organisation, role = organisation_for(request.actor, slug, minimum=minimum)
    if not token.allows(resource, access):
        raise PermissionDenied
    return organisation, role
