from __future__ import annotations

from django.urls import reverse

from pregonero.audit import services as audit


def dashboard(client, organisation):
    return client.get(reverse("core:dashboard", args=[organisation.slug]))


def test_it_shows_the_organisation_its_departments_and_members(client_for, vera, carles, vilanova):
    response = dashboard(client_for(vera), vilanova)
    assert response.status_code == 200
    assert response.context["organisation"] == vilanova
    assert "Urbanismo" in response.text
    assert carles.full_name in response.text


def test_it_lists_the_organisations_below(client_for, diana, diputacion, vilanova):
    response = dashboard(client_for(diana), diputacion)
    assert [item["organisation"] for item in response.context["below"]] == [vilanova]


def test_auditors_see_recent_entries(client_for, pau, vilanova):
    audit.record("test.happened", actor=pau, organisation=vilanova, object_repr="Fiesta mayor")
    response = dashboard(client_for(pau), vilanova)
    assert "Fiesta mayor" in response.text


def test_readers_do_not_see_the_audit_log(client_for, vera, vilanova):
    audit.record("test.happened", actor=vera, organisation=vilanova, object_repr="Fiesta mayor")
    response = dashboard(client_for(vera), vilanova)
    assert response.context["recent_entries"] is None
    assert "Fiesta mayor" not in response.text


def test_admins_get_a_link_to_the_settings(client_for, alba, vilanova):
    response = dashboard(client_for(alba), vilanova)
    assert reverse("manage:settings", args=[vilanova.slug]) in response.text


def test_other_members_get_no_link_to_the_settings(client_for, ana, vilanova):
    response = dashboard(client_for(ana), vilanova)
    assert reverse("manage:settings", args=[vilanova.slug]) not in response.text


def test_home_sends_a_member_of_one_organisation_to_its_dashboard(client_for, ana, vilanova):
    response = client_for(ana).get(reverse("core:home"))
    assert response["Location"] == reverse("core:dashboard", args=[vilanova.slug])


def test_home_lists_the_organisations_of_someone_in_several(client_for, diana, diputacion, vilanova):
    response = client_for(diana).get(reverse("core:home"))
    assert list(response.context["organisations"]) == [diputacion, vilanova]
