"""The issue's promise: one post reaches the news page, the feeds and each mailbox exactly once."""

from __future__ import annotations

from pregonero.public.tests.factories import (
    feed_xml,
    make_post,
    make_publication,
    make_subscriber,
    part_for,
    smtp_server,
)


def test_a_post_reaches_page_feed_and_mailbox_exactly_once(client, settings, website, bulletin, ana):
    marta = make_subscriber(bulletin, "marta@correo.example", "es")
    post = make_post(
        website.organisation, ana, {"es": "Corte de agua el lunes en el centro."}, "Corte de agua"
    )
    web_part = part_for(make_publication(post, website, "es"))
    mail_part = part_for(make_publication(post, bulletin, "es"))

    with smtp_server(settings) as mailbox:
        # Every step twice, as a dispatcher retrying after a crash would.
        for _ in range(2):
            web = website.get_connector().publish(web_part)
            bulletin.get_connector().publish(mail_part)

    page = client.get("/p/vilanova-de-mar/").text
    assert page.count("Corte de agua el lunes") == 1
    feed = feed_xml(client.get("/p/vilanova-de-mar/feed.rss").content)
    assert [item.findtext("link") for item in feed.iter("item")] == [web.url]
    [message] = mailbox.to(marta.email)
    assert len(mailbox.messages) == 1
    text = message.get_body(("plain",)).get_content()
    assert "Corte de agua el lunes" in text
    # Marta subscribed in Spanish, so the bulletin speaks Spanish.
    assert f"Léela en la web: {web.url}" in text
