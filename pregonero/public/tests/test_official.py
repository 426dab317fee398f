"""The "Our official channels" page, its QR codes and the "Is this account ours?" checker."""

from __future__ import annotations

import re

import pytest

from pregonero.public import registry
from pregonero.public.models import OfficialAccount
from pregonero.public.tests.factories import make_channel

PAGE = "/p/vilanova-de-mar/official/"
CHECK = "/p/vilanova-de-mar/official/check/"


@pytest.fixture
def mastodon(vilanova):
    return make_channel(
        vilanova,
        "mastodon",
        "Mastodon",
        instance="https://mastodon.social",
        account="@vilanova@mastodon.social",
        account_url="https://mastodon.social/@vilanova",
    )


@pytest.fixture
def bluesky(vilanova):
    return make_channel(vilanova, "bluesky", "Bluesky", handle="vilanova.bsky.social", did="did:plc:abc123")


@pytest.fixture
def youtube(vilanova):
    return OfficialAccount.objects.create(
        organisation=vilanova,
        network="YouTube",
        handle="@AjVilanova",
        url="https://www.youtube.com/@AjVilanova",
    )


def test_the_page_lists_each_active_channel_with_its_handle_and_profile_link(client, mastodon, bluesky):
    page = client.get(PAGE).text

    assert "Mastodon" in page and "@vilanova@mastodon.social" in page
    assert '<a rel="me" href="https://mastodon.social/@vilanova">' in page
    assert '<a rel="me" href="https://bsky.app/profile/vilanova.bsky.social">' in page


def test_the_page_head_carries_rel_me_links_for_mastodon_to_verify(client, mastodon):
    page = client.get(PAGE).text

    head = page.split("</head>")[0]
    assert '<link rel="me" href="https://mastodon.social/@vilanova">' in head


def test_each_account_has_a_qr_code_image_with_a_text_alternative(client, mastodon):
    page = client.get(PAGE).text

    image = re.search(r'<img src="(/p/vilanova-de-mar/official/qr/[^"]+\.svg)" alt="([^"]+)"', page)
    assert image is not None
    assert "https://mastodon.social/@vilanova" in image.group(2)
    response = client.get(image.group(1))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == registry.qr_svg("https://mastodon.social/@vilanova")
    assert response.content != registry.qr_svg("https://mastodon.social/@other")


def test_channels_inside_pregonero_switched_off_or_hidden_are_not_listed(client, vilanova, mastodon, bluesky):
    make_channel(vilanova, "website", "Web")
    make_channel(vilanova, "email", "Butlletí")
    bluesky.is_active = False
    bluesky.save()
    OfficialAccount.objects.create(organisation=vilanova, channel=mastodon, listed=False)

    page = client.get(PAGE).text

    assert 'rel="me"' not in page
    assert "Todavía no hay cuentas oficiales que mostrar." in page


def test_an_account_not_connected_to_pregonero_is_listed_as_also_official(client, youtube):
    page = client.get(PAGE).text

    assert "YouTube" in page and "@AjVilanova" in page
    assert '<a rel="me" href="https://www.youtube.com/@AjVilanova">' in page


def test_an_admin_corrected_address_replaces_the_worked_out_one(client, vilanova, mastodon):
    OfficialAccount.objects.create(
        organisation=vilanova, channel=mastodon, url="https://mastodon.social/@vilanova_oficial"
    )

    page = client.get(PAGE).text

    assert 'href="https://mastodon.social/@vilanova_oficial"' in page


def test_the_qr_code_of_a_hidden_or_foreign_account_is_404(client, vilanova, altea, mastodon):
    OfficialAccount.objects.create(organisation=vilanova, channel=mastodon, listed=False)
    foreign = make_channel(altea, "x", "X", username="altea")

    assert client.get(f"{PAGE}qr/c{mastodon.pk}.svg").status_code == 404
    assert client.get(f"{PAGE}qr/c{foreign.pk}.svg").status_code == 404


def test_another_organisations_accounts_are_not_on_the_page(client, altea, mastodon):
    make_channel(altea, "x", "X d'Altea", username="altea_oficial")

    assert "altea_oficial" not in client.get(PAGE).text


@pytest.mark.parametrize(
    "pasted",
    [
        "https://mastodon.social/@Vilanova/",
        "@vilanova@mastodon.social",
        "http://www.mastodon.social/@vilanova",
    ],
)
def test_the_checker_says_an_official_account_is_official(client, mastodon, pasted):
    page = client.get(CHECK, {"account": pasted}).text

    assert "Sí: es una de nuestras cuentas oficiales." in page
    assert "https://mastodon.social/@vilanova" in page


def test_the_checker_says_an_unknown_account_is_not_ours_and_how_to_report_it(client, mastodon):
    page = client.get(CHECK, {"account": "https://mastodon.social/@vilanova_ayuntamiento"}).text

    assert "No: esta cuenta no figura en nuestro registro de cuentas oficiales." in page
    assert "denúnciala a la red como suplantación de identidad" in page


def test_the_checker_does_not_vouch_for_another_organisations_account(client, altea, mastodon):
    make_channel(altea, "x", "X d'Altea", username="altea_oficial")

    page = client.get(CHECK, {"account": "https://x.com/altea_oficial"}).text

    assert "No: esta cuenta no figura en nuestro registro" in page


def test_the_checker_says_when_the_text_is_no_account_at_all(client, mastodon):
    page = client.get(CHECK, {"account": "hello there friend"}).text

    assert "Eso no parece un nombre ni una dirección de cuenta." in page


def test_a_bare_name_is_official_only_on_the_network_listed(client, vilanova):
    make_channel(vilanova, "x", "X", username="vilanova", account="@vilanova")

    page = client.get(CHECK, {"account": "@Vilanova"}).text

    assert "Sí: es una de nuestras cuentas oficiales." in page
    assert "El mismo nombre en otra red no es nuestro" in page


def test_what_a_citizen_pastes_is_shown_escaped(client, mastodon):
    page = client.get(CHECK, {"account": '<script>alert("x")</script>'}).text

    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_the_official_channels_page_may_be_kept_by_browsers(client, mastodon):
    response = client.get(PAGE)

    assert "max-age=60" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_the_demo_town_lists_its_demo_accounts(client, db):
    from pregonero.core.management.commands import bootstrap_demo

    bootstrap_demo.bootstrap()

    page = client.get(f"/p/{bootstrap_demo.TOWN_HALL['slug']}/official/").text
    for account in bootstrap_demo.DEMO_OFFICIAL_ACCOUNTS:
        assert f'<a rel="me" href="{account["url"]}">' in page


def test_a_page_with_a_corrected_address_is_recognised_by_both(client, vilanova):
    page = make_channel(vilanova, "facebook", "Facebook", page_id="1234567", page_name="Ajuntament")
    OfficialAccount.objects.create(
        organisation=vilanova, channel=page, url="https://www.facebook.com/AjuntamentVilanova"
    )

    for pasted in (
        "https://m.facebook.com/ajuntamentvilanova/",
        "https://facebook.com/profile.php?id=1234567",
    ):
        assert "Sí: es una de nuestras cuentas oficiales." in client.get(CHECK, {"account": pasted}).text
