from __future__ import annotations

from django.core import mail
from django.urls import reverse

from pregonero.accounts.models import Membership, Person
from pregonero.accounts.roles import Role


def members_url(organisation) -> str:
    return reverse("manage:members", args=[organisation.slug])


def test_every_member_sees_who_belongs_and_their_two_factor_status(client_for, vera, ana, vilanova):
    response = client_for(vera).get(members_url(vilanova))
    assert response.status_code == 200
    assert ana.email in response.text
    assert "Two-factor" in response.text


def test_a_reader_cannot_add_people(client_for, vera, vilanova):
    response = client_for(vera).post(members_url(vilanova), {"email": "x@y.example", "role": "reader"})
    assert response.status_code == 403


def test_an_admin_invites_a_new_person_by_email(client_for, alba, vilanova, urbanismo):
    data = {
        "email": "nuria@vilanova.example",
        "full_name": "Núria Nova",
        "role": "contributor",
        "departments": [urbanismo.pk],
    }
    response = client_for(alba).post(members_url(vilanova), data)
    assert response.status_code == 302
    membership = Membership.objects.get(person__email="nuria@vilanova.example")
    assert list(membership.departments.all()) == [urbanismo]
    assert len(mail.outbox) == 1


def test_an_admin_adds_someone_who_already_has_an_account(client_for, alba, vilanova, oscar):
    response = client_for(alba).post(members_url(vilanova), {"email": oscar.email, "role": "reader"})
    assert response.status_code == 302
    assert Membership.objects.filter(person=oscar, organisation=vilanova, role=Role.READER).exists()
    assert mail.outbox == []


def test_a_new_person_without_a_name_is_a_field_error(client_for, alba, vilanova):
    response = client_for(alba).post(members_url(vilanova), {"email": "x@vilanova.example", "role": "reader"})
    assert response.context["form"].errors["full_name"]
    assert not Person.objects.filter(email="x@vilanova.example").exists()


def test_departments_of_another_town_are_not_offered(client_for, alba, vilanova, altea_department):
    data = {"email": "x@v.example", "full_name": "X", "role": "reader", "departments": [altea_department.pk]}
    response = client_for(alba).post(members_url(vilanova), data)
    assert response.context["form"].errors["departments"]


def test_an_admin_changes_a_role_and_departments(client_for, alba, vilanova, vera, urbanismo):
    membership = vera.memberships.get()
    url = reverse("manage:member_edit", args=[vilanova.slug, membership.pk])
    response = client_for(alba).post(url, {"role": "contributor", "departments": [urbanismo.pk]})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR
    assert list(membership.departments.all()) == [urbanismo]


def test_the_last_admin_of_a_root_organisation_cannot_be_demoted(client_for, oscar, altea):
    url = reverse("manage:member_edit", args=[altea.slug, oscar.memberships.get().pk])
    response = client_for(oscar).post(url, {"role": "editor"})
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert oscar.memberships.get().role == Role.ADMIN


def test_removing_asks_for_confirmation_first(client_for, alba, vilanova, vera):
    url = reverse("manage:member_remove", args=[vilanova.slug, vera.memberships.get().pk])
    response = client_for(alba).post(url, {})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    assert vera.memberships.exists()


def test_an_admin_removes_a_member_once_confirmed(client_for, alba, vilanova, vera):
    url = reverse("manage:member_remove", args=[vilanova.slug, vera.memberships.get().pk])
    response = client_for(alba).post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not vera.memberships.exists()


def test_the_last_admin_of_a_root_organisation_cannot_be_removed(client_for, oscar, altea):
    url = reverse("manage:member_remove", args=[altea.slug, oscar.memberships.get().pk])
    response = client_for(oscar).post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert "must keep at least one administrator" in response.text
    assert oscar.memberships.exists()


def test_an_admin_of_the_council_manages_the_members_of_a_town(client_for, diana, vilanova, vera):
    url = reverse("manage:member_edit", args=[vilanova.slug, vera.memberships.get().pk])
    response = client_for(diana).post(url, {"role": "editor"})
    assert response.status_code == 302
    assert vera.memberships.get().role == Role.EDITOR
