"""The one scoping helper: who reaches which organisation, with which role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pregonero.accounts.models import Department, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import accessible_organisations, effective_role, object_in, organisation_for


def test_a_member_has_the_role_of_their_membership(vilanova, ana, carles, pau, vera, alba):
    assert [effective_role(p, vilanova) for p in (vera, carles, ana, pau, alba)] == list(Role)


def test_an_admin_of_the_council_is_admin_of_the_towns_below(vilanova, diana):
    assert effective_role(diana, vilanova) == Role.ADMIN


def test_an_admin_of_a_town_has_no_role_in_the_council_above(diputacion, alba):
    assert effective_role(alba, diputacion) is None


def test_a_person_of_another_town_has_no_role(vilanova, diputacion, oscar):
    assert effective_role(oscar, vilanova) is None
    assert effective_role(oscar, diputacion) is None


def test_a_non_admin_of_the_council_gains_nothing_below(diputacion, vilanova):
    from pregonero.conftest import make_person

    clerk = make_person("clerk@dival.example", "Clerk", diputacion, Role.EDITOR)
    assert effective_role(clerk, vilanova) is None


def test_a_deactivated_person_has_no_role(vilanova, ana):
    ana.is_active = False
    assert effective_role(ana, vilanova) is None


def test_accessible_organisations_include_the_tree_below_an_admin(diputacion, vilanova, altea, diana):
    assert set(accessible_organisations(diana)) == {diputacion, vilanova}


def test_accessible_organisations_of_a_town_member(diputacion, vilanova, altea, ana):
    assert list(accessible_organisations(ana)) == [vilanova]


def test_an_outsider_gets_404_not_403(vilanova, oscar):
    with pytest.raises(Http404):
        organisation_for(oscar, vilanova.slug)


def test_an_unknown_slug_is_404(db, ana):
    with pytest.raises(Http404):
        organisation_for(ana, "does-not-exist")


def test_a_member_below_the_required_role_gets_permission_denied(vilanova, vera):
    with pytest.raises(PermissionDenied):
        organisation_for(vera, vilanova.slug, minimum=Role.EDITOR)


def test_an_anonymous_visitor_gets_404(vilanova):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        organisation_for(AnonymousUser(), vilanova.slug)


def test_an_object_of_another_organisation_is_404(vilanova, altea_department):
    with pytest.raises(Http404):
        object_in(Department.objects.all(), vilanova, pk=altea_department.pk)


def test_a_superuser_is_admin_everywhere(vilanova, altea):
    root = Person.objects.create_superuser("root@example.org", "x" * 16, full_name="Root")
    assert effective_role(root, altea) == Role.ADMIN
