"""Admins choose what the official channels page lists and write the legal texts."""

from __future__ import annotations

import pytest
from django.test import Client

from pregonero.audit.models import AuditEntry
from pregonero.public.models import AccessibilityStatement, OfficialAccount, PrivacyNotice
from pregonero.public.tests.factories import make_channel

BASE = "/o/vilanova-de-mar/public-pages/"
PAGE = "/p/vilanova-de-mar/official/"


@pytest.fixture
def x_channel(vilanova):
    return make_channel(vilanova, "x", "X", username="vilanova", account="@vilanova")


def test_an_admin_sees_the_channels_the_added_accounts_and_the_texts(client_for, alba, x_channel):
    page = client_for(alba).get(BASE).text

    assert "@vilanova" in page and "https://x.com/vilanova" in page
    assert f"{BASE}data-protection/ca/" in page and f"{BASE}accessibility/es/" in page


def test_an_admin_can_hide_a_connected_channel_from_the_public_page(client, client_for, alba, x_channel):
    response = client_for(alba).post(f"{BASE}channels/{x_channel.pk}/", {"url": ""})

    assert response.status_code == 302
    assert "https://x.com/vilanova" not in client.get(PAGE).text
    entry = AuditEntry.objects.get(action="official_account.channel_listing_changed")
    assert entry.actor == alba


def test_an_admin_can_add_an_account_not_connected_to_pregonero(client, client_for, alba, vilanova):
    client_for(alba).post(
        f"{BASE}accounts/add/",
        {
            "network": "YouTube",
            "handle": "@AjVilanova",
            "url": "https://www.youtube.com/@AjVilanova",
            "listed": "on",
        },
    )

    assert OfficialAccount.objects.get(organisation=vilanova).network == "YouTube"
    assert 'rel="me" href="https://www.youtube.com/@AjVilanova"' in client.get(PAGE).text
    assert AuditEntry.objects.filter(action="official_account.added", actor=alba).exists()


def test_an_added_account_needs_an_address(client_for, alba, vilanova):
    response = client_for(alba).post(f"{BASE}accounts/add/", {"network": "YouTube", "handle": "@x"})

    assert response.status_code == 200
    assert not OfficialAccount.objects.exists()


def test_an_admin_can_remove_an_added_account(client_for, alba, vilanova):
    row = OfficialAccount.objects.create(
        organisation=vilanova, network="YouTube", url="https://youtube.com/@v"
    )

    client_for(alba).post(f"{BASE}accounts/{row.pk}/remove/")

    assert not OfficialAccount.objects.exists()
    assert AuditEntry.objects.filter(action="official_account.removed").exists()


def test_an_admin_writes_the_data_protection_notice_of_one_language(client_for, alba, vilanova):
    form = client_for(alba).get(f"{BASE}data-protection/ca/").text
    assert "Ajuntament de Vilanova de Mar" in form

    client_for(alba).post(
        f"{BASE}data-protection/ca/",
        {
            "controller": "Ajuntament",
            "purpose": "Informar",
            "legal_basis": "Missió pública",
            "recipients": "Ningú",
            "rights": "Accés i supressió",
            "full_text": "Delegat de protecció de dades",
        },
    )

    assert PrivacyNotice.objects.get(organisation=vilanova).language == "ca"
    assert (
        "Delegat de protecció de dades"
        in Client().get("/p/vilanova-de-mar/data-protection/", HTTP_ACCEPT_LANGUAGE="ca").text
    )
    assert AuditEntry.objects.filter(action="privacy_notice.saved", actor=alba).exists()


def test_an_admin_writes_the_accessibility_statement(client_for, alba, vilanova):
    client_for(alba).post(
        f"{BASE}accessibility/es/",
        {
            "conformity": "full",
            "non_accessible": "",
            "prepared_on": "2026-03-01",
            "method": "Autoevaluación",
            "contact": "Sede electrónica",
            "enforcement": "Reclamación",
        },
    )

    statement = AccessibilityStatement.objects.get(organisation=vilanova, language="es")
    assert statement.conformity == "full" and str(statement.prepared_on) == "2026-03-01"


def test_a_language_the_organisation_does_not_use_is_404(client_for, alba):
    assert client_for(alba).get(f"{BASE}data-protection/eu/").status_code == 404


@pytest.mark.parametrize("person", ["ana", "pau", "vera", "carles"])
def test_members_below_admin_cannot_change_the_public_pages(request, client_for, x_channel, person):
    client = client_for(request.getfixturevalue(person))

    assert client.get(BASE).status_code == 403
    assert client.post(f"{BASE}channels/{x_channel.pk}/", {"url": ""}).status_code == 403
    assert not OfficialAccount.objects.exists()


def test_another_organisations_admin_gets_404(client_for, oscar, x_channel):
    assert client_for(oscar).post(f"{BASE}channels/{x_channel.pk}/", {"url": ""}).status_code == 404


def test_a_channel_of_another_organisation_is_404_here(client_for, alba, altea):
    foreign = make_channel(altea, "x", "X", username="altea")

    assert client_for(alba).post(f"{BASE}channels/{foreign.pk}/", {"url": ""}).status_code == 404
    assert not OfficialAccount.objects.exists()
