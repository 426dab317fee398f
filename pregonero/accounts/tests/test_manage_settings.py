from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.audit.models import AuditEntry


def valid(**changes) -> dict:
    data = {
        "name": "Ajuntament de Vilanova de Mar",
        "kind": "town_hall",
        "default_language": "ca",
        "official_languages": ["es", "ca"],
        "time_zone": "Europe/Madrid",
        "region": "ES-VC",
        "province_code": "46",
        "municipality_code": "46250",
        "require_two_factor": "on",
    }
    return {**data, **changes}


def settings_url(organisation) -> str:
    return reverse("manage:settings", args=[organisation.slug])


def test_an_admin_saves_the_settings(client_for, alba, vilanova):
    response = client_for(alba).post(settings_url(vilanova), valid())
    assert response.status_code == 302
    vilanova.refresh_from_db()
    assert (vilanova.default_language, vilanova.region, vilanova.municipality_code) == (
        "ca",
        "ES-VC",
        "46250",
    )
    assert vilanova.require_two_factor


def test_saving_the_settings_is_audited_with_the_changes(client_for, alba, vilanova):
    client_for(alba).post(settings_url(vilanova), valid())
    entry = AuditEntry.objects.get(action="organisation.updated")
    assert entry.changes["region"] == ["", "ES-VC"]


def test_the_spanish_time_zones_come_first(client_for, alba, vilanova):
    form = client_for(alba).get(settings_url(vilanova)).context["form"]
    assert [value for value, _label in form.fields["time_zone"].choices][:2] == [
        "Europe/Madrid",
        "Atlantic/Canary",
    ]


def test_the_parent_cannot_be_changed_here(client_for, diana, vilanova, altea):
    client_for(diana).post(settings_url(vilanova), valid(parent=altea.pk))
    vilanova.refresh_from_db()
    assert vilanova.parent.slug == "diputacio-valencia"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("province_code", "4a"),
        ("municipality_code", "4625"),
        ("municipality_code", "03011"),
        ("time_zone", "Mars/Olympus"),
        ("region", "ES-XX"),
        ("default_language", "eu"),
    ],
)
def test_invalid_values_are_field_errors(client_for, alba, vilanova, field, value):
    response = client_for(alba).post(settings_url(vilanova), valid(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_non_admin_cannot_open_the_settings(client_for, pau, vilanova):
    assert client_for(pau).get(settings_url(vilanova)).status_code == 403
