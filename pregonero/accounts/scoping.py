"""The one place that decides what a person may see and do in which organisation.

Every view, API endpoint and service that touches organisation data goes through here.
A person with no access to an organisation gets ``Http404`` for it and its objects
(never a 403 that would confirm it exists); a member whose role is too low gets
``PermissionDenied``.

Effective role: a person's role in an organisation is their own membership's role;
admins of an ancestor organisation act as admins of everything below it. Superusers
are admins everywhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from pregonero.accounts.models import Membership, Organisation, Person
from pregonero.accounts.roles import Role


def effective_role(person: Person, organisation: Organisation) -> Role | None:
    """The person's role in ``organisation``, never above ``person.role_ceiling`` when set.

    An API token acts for the person who created it with at most the token's role: the API
    hands services a ``Person`` carrying that ceiling, so every rule asks the same question.
    """
    role = _uncapped_role(person, organisation)
    ceiling = getattr(person, "role_ceiling", None)
    if role is None or ceiling is None or Role(ceiling).at_least(role):
        return role
    return Role(ceiling)


def _uncapped_role(person: Person, organisation: Organisation) -> Role | None:
    if not person.is_authenticated or not person.is_active:
        return None
    if person.is_superuser:
        return Role.ADMIN
    chain = [*organisation.ancestor_ids(), organisation.pk]
    roles = dict(
        Membership.objects.filter(person=person, organisation_id__in=chain).values_list(
            "organisation_id", "role"
        )
    )
    if any(roles.get(ancestor) == Role.ADMIN for ancestor in organisation.ancestor_ids()):
        return Role.ADMIN
    own = roles.get(organisation.pk)
    return Role(own) if own else None


def accessible_organisations(person: Person) -> QuerySet[Organisation]:
    """Every active organisation the person may open, ordered as a tree."""
    if not person.is_authenticated or not person.is_active:
        return Organisation.objects.none()
    if person.is_superuser:
        return Organisation.objects.filter(is_active=True)
    memberships = Membership.objects.filter(person=person).select_related("organisation")
    condition = Q(pk__in=[m.organisation_id for m in memberships])
    for membership in memberships:
        if membership.role == Role.ADMIN:
            condition |= Q(path__startswith=membership.organisation.path)
    return Organisation.objects.filter(condition, is_active=True)


def organisation_for(person: Person, slug: str, minimum: Role = Role.READER) -> tuple[Organisation, Role]:
    """Return the organisation called ``slug`` and the person's role in it.

    Raises ``Http404`` when the person has no access at all, ``PermissionDenied`` when
    their role is below ``minimum``.
    """
    organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
    role = effective_role(person, organisation) if organisation else None
    if organisation is None or role is None:
        raise Http404("No such organisation.")
    if not role.at_least(minimum):
        raise PermissionDenied
    return organisation, role


def scoped(queryset: QuerySet, organisation: Organisation, field: str = "organisation") -> QuerySet:
    """Limit ``queryset`` to rows that belong to ``organisation``."""
    return queryset.filter(**{field: organisation})


def object_in(queryset: QuerySet, organisation: Organisation, field: str = "organisation", **lookup):
    """Fetch one object of ``organisation`` or raise ``Http404``; other organisations' rows never match."""
    obj = scoped(queryset, organisation, field).filter(**lookup).first()
    if obj is None:
        raise Http404("No such object.")
    return obj
