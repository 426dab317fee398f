"""The channels pages pass the WCAG 2.1 AA audit in headless Chromium and load nothing foreign."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.channels.models import Channel, Health
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def channels(vilanova, urbanismo):
    bulletin = Channel.objects.create(
        organisation=vilanova, connector="email", name="Butlletí", owner_department=urbanismo
    )
    mastodon = Channel(
        organisation=vilanova,
        connector="mastodon",
        name="Mastodon",
        config={"instance": "https://social.example", "account": "@ajuntament@social.example", "limits": {}},
        health=Health.BROKEN,
        health_message="The network no longer accepts this channel's access; reconnect the channel.",
    )
    mastodon.set_secret_values({"access_token": "secret"})
    mastodon.save()
    Channel.objects.create(
        organisation=vilanova,
        connector="matrix",
        name="Sala",
        health=Health.DEGRADED,
        consecutive_failures=3,
        health_message="The network is busy or unavailable; Pregonero will try again.",
    )
    return {"bulletin": bulletin, "mastodon": mastodon}


@pytest.mark.parametrize(
    ("name", "argument"),
    [
        ("list", None),
        ("connect", "mastodon"),
        ("connect", "matrix"),
        ("connect", "bluesky"),
        ("edit", "bulletin"),
        ("edit", "mastodon"),
        ("reconnect", "mastodon"),
    ],
)
def test_every_channels_page_passes_the_wcag_audit(visit, alba, vilanova, channels, name, argument):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    arguments = [vilanova.slug]
    if name == "connect":
        arguments.append(argument)
    elif argument:
        arguments.append(channels[argument].pk)
    path = reverse(f"channels:{name}", args=arguments)
    page = visit.go(path)
    assert page.url == visit.base_url + path
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_a_broken_channel_says_what_to_do_and_offers_to_reconnect(visit, alba, vilanova, channels):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("channels:list", args=[vilanova.slug]))
    row = page.locator("tr", has_text="Mastodon")
    assert "Needs attention" in row.inner_text() and "reconnect the channel" in row.inner_text()
    assert "3 failures in a row." in page.locator("tr", has_text="Sala").inner_text()
    row.get_by_role("link", name="Reconnect").click()
    page.wait_for_url(f"**/channels/{channels['mastodon'].pk}/reconnect/")
    assert page.get_by_label("Instance").is_visible()
