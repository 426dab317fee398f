"""RSS and Atom feeds: valid XML, absolute addresses from SITE_URL, one language each."""

from __future__ import annotations

import pytest

from pregonero.public.news import withdraw_news_item
from pregonero.public.tests.factories import feed_xml, make_channel, make_post, make_publication, part_for

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def items(website, ana):
    post = make_post(
        website.organisation, ana, {"es": "Corte de agua <b>lunes</b>", "ca": "Tall d'aigua"}, "Agua & luz"
    )
    results = [
        website.get_connector().publish(part_for(make_publication(post, website, lang)))
        for lang in ("es", "ca")
    ]
    return [website.news_items.get(pk=result.remote_id) for result in results]


def test_the_rss_feed_is_valid_xml_with_the_item(client, items):
    response = client.get("/p/vilanova-de-mar/feed.rss")

    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = feed_xml(response.content).find("channel")
    assert channel.findtext("language") == "es"
    assert channel.findtext("link") == "https://pregonero.example/p/vilanova-de-mar/"
    [item] = channel.findall("item")
    assert item.findtext("title") == "Agua &amp; luz"
    assert item.findtext("link") == f"https://pregonero.example/p/vilanova-de-mar/news/{items[0].number}/"
    assert "&lt;b&gt;lunes&lt;/b&gt;" in item.findtext("description")


def test_the_atom_feed_is_valid_xml_with_the_item(client, items):
    response = client.get("/p/vilanova-de-mar/feed.atom?lang=ca")

    feed = feed_xml(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ca"
    [entry] = feed.findall(f"{ATOM}entry")
    assert (
        entry.find(f"{ATOM}link").get("href")
        == f"https://pregonero.example/p/vilanova-de-mar/news/{items[1].number}/"
    )
    assert "Tall d&#x27;aigua" in entry.findtext(f"{ATOM}summary")
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "https://pregonero.example/p/vilanova-de-mar/feed.atom?lang=ca"


def test_a_language_the_organisation_does_not_use_gives_the_default_feed(client, items):
    channel = feed_xml(client.get("/p/vilanova-de-mar/feed.rss?lang=xx").content).find("channel")

    assert channel.findtext("language") == "es"


def test_withdrawn_items_leave_the_feed(client, items):
    withdraw_news_item(items[0], reason="Error")

    channel = feed_xml(client.get("/p/vilanova-de-mar/feed.rss").content).find("channel")

    assert channel.findall("item") == []


def test_a_feed_shows_only_its_own_organisation(client, items, altea):
    make_channel(altea, "website")

    channel = feed_xml(client.get("/p/altea/feed.rss").content).find("channel")

    assert channel.findall("item") == []
    assert client.get("/p/nobody/feed.atom").status_code == 404
