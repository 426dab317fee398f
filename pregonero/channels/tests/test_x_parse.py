"""X mentions to inbound messages: the pure parser."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.x import parse
from pregonero.channels.tests.payloads import x as p


def messages():
    return {m.remote_id: m for m in parse.parse_mentions(p.MENTIONS, p.OWN_ID)}


def test_a_reply_has_plain_text_with_whole_links():
    reply = messages()["1861000000000000101"]
    assert reply.kind is MessageKind.REPLY
    assert reply.text == "@ajvilanova I els horaris & preus? <3 https://vilanova.example/piscina/horaris"
    assert (reply.author_handle, reply.author_name, reply.language) == ("@martapuig", "Marta Puig", "ca")
    assert reply.in_reply_to == p.OWN_TWEET and reply.conversation == p.OWN_TWEET
    assert reply.created_at == datetime(2025, 11, 20, 10, 15, 30, tzinfo=UTC)
    assert reply.url == "https://x.com/martapuig/status/1861000000000000101"
    assert reply.edited_at is None


def test_an_edit_keeps_the_original_id():
    edited = messages()["1861000000000000120"]
    assert edited.kind is MessageKind.MENTION
    assert edited.text == "@ajvilanova 東京から来ました。プールは何時まで？🏊"
    assert edited.edited_at == datetime(2025, 11, 20, 11, 0, tzinfo=UTC)
    assert edited.url.endswith("/status/1861000000000000150")


def test_a_quote_of_our_post_with_a_photo_and_its_alt_text():
    quote = messages()["1861000000000000200"]
    assert quote.kind is MessageKind.QUOTE and quote.quoted == p.OWN_TWEET
    assert quote.text == "👏👏"
    assert quote.language == ""
    [photo] = quote.media
    assert (photo.kind, photo.url, photo.description) == (
        "image",
        "https://pbs.twimg.com/media/GcAbCdEfGh.jpg",
        "Cua a l'entrada de la piscina",
    )


def test_our_own_posts_are_skipped_and_the_order_is_oldest_first():
    found = parse.parse_mentions(p.MENTIONS, p.OWN_ID)
    assert [m.remote_id for m in found] == [
        "1861000000000000101",
        "1861000000000000120",
        "1861000000000000200",
    ]


def test_the_cursor_is_the_newest_id_or_stays():
    assert parse.newest_id(p.MENTIONS, "1") == "1861000000000000300"
    assert parse.newest_id(p.EMPTY, "1861") == "1861"
    assert parse.parse_mentions(p.EMPTY, p.OWN_ID) == []
