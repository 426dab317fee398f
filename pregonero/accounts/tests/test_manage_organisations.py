from __future__ import annotations

from django.urls import reverse

from pregonero.accounts.models import Organisation


def organisations_url(organisation) -> str:
    return reverse("manage:organisations", args=[organisation.slug])


def new_town(**changes) -> dict:
    data = {
        "name": "Ajuntament de Bellreguard",
        "slug": "bellreguard",
        "kind": "town_hall",
        "default_language": "ca",
        "official_languages": ["es", "ca"],
        "time_zone": "Europe/Madrid",
        "region": "ES-VC",
        "province_code": "46",
        "municipality_code": "46066",
    }
    return {**data, **changes}


def test_it_shows_the_tree_below_with_links(client_for, diana, diputacion, vilanova):
    response = client_for(diana).get(organisations_url(diputacion))
    assert [item["organisation"] for item in response.context["tree"]] == [diputacion, vilanova]
    assert [item["depth"] for item in response.context["tree"]] == [0, 1]
    assert reverse("core:dashboard", args=[vilanova.slug]) in response.text


def test_an_admin_creates_an_organisation_below(client_for, diana, diputacion):
    response = client_for(diana).post(organisations_url(diputacion), new_town())
    assert response.status_code == 302
    town = Organisation.objects.get(slug="bellreguard")
    assert town.parent == diputacion
    assert town.path.startswith(diputacion.path)


def test_a_taken_short_name_is_a_field_error(client_for, diana, diputacion, vilanova):
    response = client_for(diana).post(organisations_url(diputacion), new_town(slug=vilanova.slug))
    assert response.status_code == 200
    assert response.context["form"].errors["slug"]


def test_a_member_who_is_not_admin_sees_the_tree_but_cannot_create(client_for, pau, vilanova):
    assert client_for(pau).get(organisations_url(vilanova)).context["form"] is None
    assert client_for(pau).post(organisations_url(vilanova), new_town()).status_code == 403
