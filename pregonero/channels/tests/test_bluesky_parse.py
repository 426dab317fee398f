"""Bluesky notifications and records: pure functions, payloads shaped as Bluesky documents them."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.bluesky import parse, records
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.tests.payloads import bluesky as payloads


def test_replies_mentions_and_quotes_come_oldest_first_and_likes_do_not():
    messages = parse.parse_notifications(payloads.PAGE, None)
    assert [(m.kind, m.text) for m in messages] == [
        (MessageKind.REPLY, "A quina hora obre? 🏊‍♀️"),
        (MessageKind.MENTION, "@ajuntament.bsky.social 東京から応援しています"),
        (MessageKind.QUOTE, "Així estava el carrer ahir"),
    ]
    reply = messages[0]
    assert reply.in_reply_to == payloads.OWN_POST and reply.conversation == payloads.OWN_POST
    assert reply.author_handle == "@marta.bsky.social" and reply.author_name == "Marta 🌻"
    assert reply.url == "https://bsky.app/profile/marta.bsky.social/post/3lbr1"
    assert messages[1].language == "ja"


def test_a_quote_with_an_image_names_the_quoted_post_and_keeps_the_alt_text():
    message = parse.parse_notification(payloads.QUOTE_WITH_IMAGE)
    assert message.quoted == payloads.OWN_POST
    assert [(m.kind, m.description, m.mime) for m in message.media] == [
        ("image", "Carrer Major inundat", "image/jpeg")
    ]


def test_only_notifications_after_the_cursor_and_the_next_cursor():
    since = payloads.MENTION["indexedAt"]
    assert [m.kind for m in parse.parse_notifications(payloads.PAGE, since)] == [MessageKind.QUOTE]
    assert parse.newest_indexed_at(payloads.PAGE, since) == payloads.FOLLOW["indexedAt"]
    assert parse.newest_indexed_at([], since) == since


def test_record_keys_are_tids_stable_per_part_and_ordered_within_a_thread():
    created = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    keys = [records.record_key(f"3f0c5e2a-7c1d-4a8e-9b51-3c2d1e0f9a8b-{i}", created) for i in range(3)]
    assert keys == sorted(keys) and len(set(keys)) == 3
    assert all(len(key) == 13 and key[0] in "234567abcdefghij" for key in keys)
    assert records.record_key("3f0c5e2a-7c1d-4a8e-9b51-3c2d1e0f9a8b-0", created) == keys[0]
    assert records.tid(0, 0) == "2222222222222"


def test_a_reply_to_a_reply_keeps_the_threads_root():
    root = {"uri": "at://did:plc:x/app.bsky.feed.post/1", "cid": "c1"}
    parent = {
        "uri": "at://did:plc:x/app.bsky.feed.post/2",
        "cid": "c2",
        "value": {"reply": {"root": root, "parent": root}},
    }
    assert records.reply_refs(parent) == {"root": root, "parent": {"uri": parent["uri"], "cid": "c2"}}
