"""The public pages pass the WCAG 2.1 AA audit in headless Chromium and load nothing foreign."""

from __future__ import annotations

import pytest

from pregonero.public import subscriptions
from pregonero.public.news import withdraw_news_item
from pregonero.public.tests.factories import make_post, make_publication, make_subscriber, part_for

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
