from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import resolve
from django.utils.http import urlsafe_base64_decode

from pregonero.accounts import services
from pregonero.accounts.models import Department, Membership, Person
from pregonero.accounts.roles import Role
from pregonero.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def links_point_to_the_site(settings):
    settings.SITE_URL = "https://pregonero.example"


def invite(organisation, actor, email="nuria@vilanova.example", **extra):
    extra.setdefault("full_name", "Núria Nova")
    extra.setdefault("role", Role.EDITOR)
    return services.invite_person(organisation, email=email, actor=actor, **extra)


def link_in(message) -> str:
    return re.search(r"https://pregonero\.example\S+", message.body).group(0)


def test_inviting_a_new_person_creates_them_without_a_usable_password(vilanova, alba):
    membership, invited = invite(vilanova, alba)
    assert invited
    assert membership.role == Role.EDITOR
    assert not membership.person.has_usable_password()
    assert membership.person.full_name == "Núria Nova"


def test_inviting_a_new_person_sends_them_a_set_password_link(vilanova, alba):
    invite(vilanova, alba)
    assert [message.to for message in mail.outbox] == [["nuria@vilanova.example"]]
    assert link_in(mail.outbox[0]).startswith("https://pregonero.example/accounts/password/reset/")


def test_the_invitation_link_carries_a_valid_token_for_the_person(vilanova, alba):
    membership, _invited = invite(vilanova, alba)
    path = link_in(mail.outbox[0]).removeprefix("https://pregonero.example")
    match = resolve(path)
    assert match.view_name == "accounts:password_reset_confirm"
    assert urlsafe_base64_decode(match.kwargs["uidb64"]).decode() == str(membership.person.pk)
    assert default_token_generator.check_token(membership.person, match.kwargs["token"])


def test_inviting_is_audited(vilanova, alba):
    invite(vilanova, alba)
    actions = set(AuditEntry.objects.filter(organisation=vilanova).values_list("action", flat=True))
    assert {"person.invited", "membership.created"} <= actions


def test_inviting_someone_who_has_an_account_adds_a_membership_and_sends_nothing(vilanova, alba, oscar):
    membership, invited = invite(vilanova, alba, email="OSCAR@altea.example", full_name="")
    assert not invited
    assert membership.person == oscar
    assert mail.outbox == []


def test_inviting_a_member_again_is_refused(vilanova, alba, ana):
    with pytest.raises(ValidationError) as caught:
        invite(vilanova, alba, email=ana.email)
    assert "email" in caught.value.error_dict


def test_a_new_person_needs_a_full_name(vilanova, alba):
    with pytest.raises(ValidationError) as caught:
        invite(vilanova, alba, full_name=" ")
    assert "full_name" in caught.value.error_dict
    assert not Person.objects.filter(email="nuria@vilanova.example").exists()


def test_only_admins_can_invite(vilanova, pau):
    with pytest.raises(PermissionDenied):
        invite(vilanova, pau, role=Role.READER)
    assert not Person.objects.filter(email="nuria@vilanova.example").exists()


def test_nobody_can_grant_a_role_above_their_own(vilanova, pau, vera):
    with pytest.raises(PermissionDenied):
        services.set_membership(vilanova, vera, Role.ADMIN, actor=pau)
    assert vera.memberships.get().role == Role.READER


def test_the_last_admin_of_a_root_organisation_cannot_be_removed(altea, oscar):
    with pytest.raises(ValidationError):
        services.remove_membership(oscar.memberships.get(), actor=oscar)
    assert Membership.objects.filter(person=oscar, organisation=altea).exists()


def test_the_last_admin_of_a_root_organisation_cannot_be_demoted(altea, oscar):
    with pytest.raises(ValidationError) as caught:
        services.set_membership(altea, oscar, Role.EDITOR, actor=oscar)
    assert "role" in caught.value.error_dict
    assert oscar.memberships.get().role == Role.ADMIN


def test_the_last_admin_of_an_organisation_below_another_can_be_removed(vilanova, alba, diana):
    services.remove_membership(alba.memberships.get(), actor=diana)
    assert not Membership.objects.filter(person=alba).exists()


def test_a_second_admin_lets_the_first_one_go(altea, oscar):
    other = Person.objects.create_user("rosa@altea.example", "x" * 12, full_name="Rosa")
    services.set_membership(altea, other, Role.ADMIN, actor=oscar)
    services.remove_membership(oscar.memberships.get(), actor=other)
    assert not Membership.objects.filter(person=oscar).exists()


def test_departments_of_another_organisation_cannot_be_given(vilanova, alba, vera, altea_department):
    with pytest.raises(ValidationError):
        services.set_membership(vilanova, vera, Role.CONTRIBUTOR, [altea_department], actor=alba)


def test_a_department_name_is_unique_in_its_organisation_whatever_the_case(vilanova, alba, urbanismo):
    with pytest.raises(ValidationError) as caught:
        services.create_department(vilanova, actor=alba, name="URBANISMO")
    assert "name" in caught.value.error_dict


def test_the_same_department_name_may_exist_in_another_organisation(altea, oscar, urbanismo):
    department = services.create_department(altea, actor=oscar, name="Urbanismo")
    assert department.organisation == altea


def test_renaming_a_department_onto_another_name_is_refused(vilanova, alba, urbanismo):
    other = Department.objects.create(organisation=vilanova, name="Cultura")
    with pytest.raises(ValidationError):
        services.update_department(other, actor=alba, name="Urbanismo")


def test_a_department_keeps_its_own_name_when_other_fields_change(vilanova, alba, urbanismo):
    services.update_department(urbanismo, actor=alba, name="Urbanismo", email="urb@vilanova.example")
    urbanismo.refresh_from_db()
    assert urbanismo.email == "urb@vilanova.example"
