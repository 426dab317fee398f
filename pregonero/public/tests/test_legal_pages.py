"""The data-protection notice and the accessibility statement: public, per language, editable."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from pregonero.public.models import AccessibilityStatement, OfficialAccount, PrivacyNotice
from pregonero.public.tests.factories import make_channel

PRIVACY = "/p/vilanova-de-mar/data-protection/"
ACCESSIBILITY = "/p/vilanova-de-mar/accessibility/"
RULES = "/p/vilanova-de-mar/participation-rules/"


def test_the_data_protection_notice_has_the_basic_layer_and_the_full_text(client, vilanova):
    page = client.get(PRIVACY).text

    # The organisation speaks Spanish and Catalan; the page falls back to Spanish.
    for heading in (
        "Responsable del tratamiento",
        "Finalidades",
        "Base jurídica",
        "Destinatarios",
        "Derechos",
        "Información adicional",
    ):
        assert f"<dt>{heading}</dt>" in page
    assert 'href="#full-heading"' in page and 'id="full-heading"' in page
    assert "Ajuntament de Vilanova de Mar" in page


def test_the_accessibility_statement_follows_the_model_of_rd_1112_2018(client, vilanova):
    page = client.get(ACCESSIBILITY).text

    for section in (
        "Situación de cumplimiento",
        "Contenido no accesible",
        "Elaboración de esta declaración",
        "Observaciones y datos de contacto",
        "Procedimiento de aplicación",
    ):
        assert section in page
    assert "parcialmente conforme" in page
    assert "1112/2018" in page


def test_the_organisation_text_replaces_the_default_in_its_language_only(client, vilanova):
    PrivacyNotice.objects.create(
        organisation=vilanova,
        language="ca",
        controller="Ajuntament (DPD: dpd@vilanova.example)",
        purpose="Informar",
        legal_basis="Missió pública",
        recipients="Ningú",
        rights="Accés",
        full_text="Text complet",
    )

    catalan = client.get(PRIVACY, HTTP_ACCEPT_LANGUAGE="ca").text
    spanish = client.get(PRIVACY, HTTP_ACCEPT_LANGUAGE="es").text

    assert "Text complet" in catalan and '<html lang="ca">' in catalan
    assert "Text complet" not in spanish


def test_a_statement_marks_its_dates_as_machine_readable(client, vilanova):
    AccessibilityStatement.objects.create(
        organisation=vilanova,
        language="es",
        conformity="full",
        prepared_on="2026-03-01",
        reviewed_on="2026-09-15",
        method="Revisión",
        contact="Sede",
        enforcement="Reclamación",
    )

    page = client.get(ACCESSIBILITY, HTTP_ACCEPT_LANGUAGE="es").text

    assert 'datetime="2026-03-01"' in page and 'datetime="2026-09-15"' in page
    assert "plenamente conforme" in page


@pytest.mark.parametrize(
    "path",
    [
        "",
        "official/",
        "official/check/?account=%40x",
        "data-protection/",
        "accessibility/",
        "subscribe/",
        "participation-rules/",
    ],
)
def test_every_public_page_links_the_legal_pages_in_its_footer(client, bulletin, path):
    page = client.get(f"/p/vilanova-de-mar/{path}").text

    footer = page.split('<footer class="site-footer">')[1]
    for link in (PRIVACY, ACCESSIBILITY, "/p/vilanova-de-mar/official/", RULES):
        assert f'href="{link}"' in footer


@pytest.mark.parametrize("path", ["", "official/", "data-protection/", "accessibility/", "official/check/"])
def test_public_pages_have_a_skip_link_landmarks_one_h1_and_a_language(client, vilanova, path):
    page = client.get(f"/p/vilanova-de-mar/{path}").text

    assert re.search(r'<html lang="(es|ca)">', page)
    assert 'class="skip-link" href="#main"' in page and '<main id="main"' in page
    assert "<header" in page and "<footer" in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize(
    "path",
    ["", "news/1/", "official/", "official/check/?account=%40vilanova", "data-protection/", "accessibility/"],
)
def test_public_pages_name_no_other_host_than_the_organisations_own_channels(client, vilanova, publish, path):
    mastodon = make_channel(vilanova, "mastodon", "M", account="@vilanova@mastodon.social")
    make_channel(vilanova, "x", "X", username="vilanova")
    OfficialAccount.objects.create(
        organisation=vilanova, network="YouTube", url="https://www.youtube.com/@vilanova"
    )
    publish({"es": "Corte de agua", "ca": "Tall d'aigua"}, "Agua")
    own = {"mastodon.social", "x.com", "www.youtube.com"}
    assert mastodon.pk

    page = client.get(f"/p/vilanova-de-mar/{path}").text

    hosts = {urlsplit(url).netloc for url in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", page)}
    assert hosts <= own, hosts - own
