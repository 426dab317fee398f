"""The public pages pass the WCAG 2.1 AA audit in headless Chromium and load nothing foreign."""

from __future__ import annotations

import pytest

from pregonero.public import subscriptions
from pregonero.public.models import OfficialAccount
from pregonero.public.news import withdraw_news_item
from pregonero.public.tests.factories import (
    make_channel,
    make_post,
    make_publication,
    make_subscriber,
    part_for,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def published(website, bulletin, ana):
    post = make_post(
        website.organisation, ana, {"es": "Corte de agua el lunes.", "ca": "Tall d'aigua."}, "Agua"
    )
    for language in ("es", "ca"):
        website.get_connector().publish(part_for(make_publication(post, website, language)))
    gone = make_post(website.organisation, ana, {"es": "Retirada"}, "Retirada")
    result = website.get_connector().publish(part_for(make_publication(gone, website, "es")))
    withdraw_news_item(website.news_items.get(pk=result.remote_id), reason="Error")
    return make_subscriber(bulletin, "marta@correo.example")


@pytest.mark.parametrize(
    "path",
    [
        "/p/vilanova-de-mar/",
        "/p/vilanova-de-mar/news/1/",
        "/p/vilanova-de-mar/news/3/",
        "/p/vilanova-de-mar/subscribe/",
        "/p/vilanova-de-mar/?q=agua",
        "/p/vilanova-de-mar/?q=nada",
        "/p/vilanova-de-mar/official/",
        "/p/vilanova-de-mar/official/check/?account=%40vilanova%40mastodon.social",
        "/p/vilanova-de-mar/official/check/?account=%40otro",
        "/p/vilanova-de-mar/data-protection/",
        "/p/vilanova-de-mar/accessibility/",
    ],
)
def test_every_public_page_passes_the_wcag_audit(visit, published, path):
    visit.go(path)
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_the_subscription_form_with_errors_and_the_unsubscribe_page_pass_the_audit(visit, published):
    page = visit.go("/p/vilanova-de-mar/subscribe/")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".form-errors")
    assert visit.accessibility_violations() == []

    visit.go(subscriptions.unsubscribe_url(published).removeprefix("https://pregonero.example"))
    assert visit.accessibility_violations() == []


@pytest.fixture
def official(vilanova):
    make_channel(
        vilanova,
        "mastodon",
        "Mastodon",
        account="@vilanova@mastodon.social",
        account_url="https://mastodon.social/@vilanova",
    )
    OfficialAccount.objects.create(
        organisation=vilanova,
        network="YouTube",
        handle="@AjVilanova",
        url="https://www.youtube.com/@AjVilanova",
    )


def test_the_official_channels_page_shows_qr_codes_and_rel_me_links(visit, official):
    page = visit.go("/p/vilanova-de-mar/official/")

    images = page.locator("main img")
    assert images.count() == 2
    first = images.first
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    assert "https://mastodon.social/@vilanova" in first.get_attribute("alt")
    assert page.locator('head link[rel="me"][href="https://mastodon.social/@vilanova"]').count() == 1
    assert page.locator('main a[rel="me"][href="https://www.youtube.com/@AjVilanova"]').count() == 1
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_a_citizen_checks_an_account_from_the_official_channels_page(visit, official):
    page = visit.go("/p/vilanova-de-mar/official/")

    page.fill("#id_account", "https://mastodon.social/@Vilanova/")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#answer-heading")

    assert "Sí" in page.inner_text("#answer-heading")
    assert visit.accessibility_violations() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path", ["", "channels/{channel}/", "accounts/add/", "data-protection/ca/", "accessibility/es/"]
)
def test_the_admins_public_pages_settings_pass_the_wcag_audit(visit, alba, vilanova, official, path):
    from pregonero.core.tests.test_browser import sign_in_with_an_authenticator

    sign_in_with_an_authenticator(visit, alba, vilanova)
    channel = vilanova.channels.get(connector="mastodon")
    address = f"/o/vilanova-de-mar/public-pages/{path.format(channel=channel.pk)}"
    page = visit.go(address)

    assert page.url == visit.base_url + address
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
