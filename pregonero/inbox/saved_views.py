"""Saved views of the inbox list: a name for a set of filters, with how many conversations it
holds now. A person's views are theirs; editors and admins may share one with the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from pregonero.accounts.models import Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.inbox import listing
from pregonero.inbox.forms import FilterForm
from pregonero.inbox.models import SavedView

SHARING_ROLE = Role.EDITOR
MAX_VIEWS = 30


def views_for(person: Person, organisation) -> QuerySet[SavedView]:
    """The person's own views and those shared with the organisation."""
    return SavedView.objects.filter(organisation=organisation).filter(Q(owner=person) | Q(shared=True))


def filter_query(query: QueryDict | dict) -> str:
    """Only the list's filters, in a stable order, without empty values."""
    kept = QueryDict(mutable=True)
    for name in FilterForm.base_fields:
        value = query.get(name, "")
        if value:
            kept[name] = value
    return kept.urlencode()


@dataclass
class Counted:
    view: SavedView
    count: int
    query: str


def counted(views, visible: QuerySet, *, person, organisation, people, now) -> list[Counted]:
    """Each view with the number of conversations it shows now: one COUNT query per view."""
    result = []
    for view in views:
        form = FilterForm(QueryDict(view.query), organisation=organisation, people=people)
        data = form.cleaned_data if form.is_valid() else None
        shown = listing.filtered(visible, data, person=person, organisation=organisation, now=now)
        result.append(Counted(view=view, count=shown.count(), query=view.query))
    return result


@transaction.atomic
def save_view(organisation, *, actor: Person, role: Role, name: str, query: str, shared: bool, request=None):
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if shared and not role.at_least(SHARING_ROLE):
        raise PermissionDenied
    if SavedView.objects.filter(organisation=organisation, owner=actor).count() >= MAX_VIEWS:
        raise ValidationError({"name": _("You have too many saved views; remove one first.")})
    view = SavedView.objects.create(
        organisation=organisation, owner=actor, name=name[:80], query=query[:1000], shared=shared
    )
    audit.record(
        "inbox.view_saved",
        actor=actor,
        organisation=organisation,
        obj=view,
        details={"name": view.name, "query": view.query, "shared": shared},
        request=request,
    )
    return view


def may_remove(view: SavedView, person: Person, role: Role) -> bool:
    return view.owner_id == person.pk or (view.shared and role == Role.ADMIN)


@transaction.atomic
def remove_view(view: SavedView, *, actor: Person, role: Role, request=None) -> None:
    if not may_remove(view, actor, role):
        raise PermissionDenied
    audit.record(
        "inbox.view_removed",
        actor=actor,
        organisation=view.organisation,
        obj=view,
        details={"name": view.name, "shared": view.shared},
        request=request,
    )
    view.delete()
