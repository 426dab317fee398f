"""Mastodon's JSON to Pregonero's objects: pure parsing, payloads shaped as Mastodon documents them."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.mastodon import parse
from pregonero.channels.tests.payloads import mastodon as payloads

OWN = payloads.OWN_ID
HOST = payloads.INSTANCE_HOST


def test_links_keep_their_whole_address_and_paragraphs_their_breaks():
    text = parse.html_to_text(payloads.MENTION_LINK)
    assert text == (
        "@ajuntament Mireu aquest enllaç: https://www.vilanova.example/agenda/festa-major-2026\n\n"
        "Gràcies & salut!\nMarta"
    )


def test_a_reply_to_our_post_is_a_reply_with_custom_emoji_as_written():
    message = parse.parse_status(payloads.REPLY, OWN, HOST)
    assert message.kind == MessageKind.REPLY
    assert message.text == "@ajuntament A quina hora obre la piscina? :piscina: 🏊‍♀️"
    assert message.in_reply_to == "110100"
    assert message.author_handle == "@marta@mastodon.social"
    assert message.author_name == "Marta 🌻"
    assert message.created_at == datetime(2026, 11, 20, 10, 15, 30, tzinfo=UTC)
    assert message.edited_at is None and not message.deleted


def test_an_edit_keeps_the_id_and_says_when_it_was_edited():
    message = parse.parse_status(payloads.EDITED, OWN, HOST)
    assert message.remote_id == payloads.REPLY["id"]
    assert message.edited_at == datetime(2026, 11, 20, 10, 20, tzinfo=UTC)
    assert message.text.endswith("dissabte?")


def test_a_direct_message_in_japanese():
    message = parse.parse_status(payloads.DIRECT, OWN, HOST)
    assert message.kind == MessageKind.DIRECT
    assert message.text == "@ajuntament 私の住所の収集日はいつですか？"
    assert message.language == "ja"


def test_right_to_left_text_is_kept_as_written():
    message = parse.parse_status(payloads.ARABIC, OWN, HOST)
    assert message.text == "مرحبا @ajuntament، متى يفتح المسبح؟"
    assert message.kind == MessageKind.MENTION


def test_media_come_with_their_descriptions_and_the_content_warning_leads():
    message = parse.parse_status(payloads.WITH_MEDIA, OWN, HOST)
    assert [(m.kind, m.description) for m in message.media] == [
        ("image", "Fanal amb el vidre trencat"),
        ("video", ""),
    ]
    assert message.media[0].url.endswith("57859aede991da25.jpeg")
    assert message.text == "Incidència\n\n@ajuntament Hi ha un fanal trencat al carrer Major."


def test_a_quote_of_our_post_is_a_quote():
    message = parse.parse_status(payloads.QUOTE, OWN, HOST)
    assert message.kind == MessageKind.QUOTE and message.quoted == "110100"


def test_notifications_keep_messages_oldest_first_and_skip_reactions():
    messages = parse.parse_notifications(payloads.NOTIFICATIONS, OWN, HOST)
    assert [(m.remote_id, m.kind) for m in messages] == [
        ("110200", MessageKind.REPLY),
        ("110700", MessageKind.MENTION),
        ("110500", MessageKind.QUOTE),
        ("110200", MessageKind.REPLY),
    ]
    assert messages[-1].edited_at is not None


def test_the_cursor_is_the_highest_id_compared_as_a_number():
    assert parse.newest_id(payloads.NOTIFICATIONS, "9000") == "10000"
    assert parse.newest_id([], "9000") == "9000"
    assert parse.newest_id([], None) is None


def test_a_deletion_from_the_stream_names_the_deleted_status():
    message = parse.parse_stream_event("delete", "110200", OWN, HOST)
    assert message.deleted and message.remote_id == "110200" and message.text == ""


def test_a_stream_notification_is_parsed_like_a_listed_one():
    import json

    event = json.dumps(payloads.notification("9001", "mention", payloads.REPLY))
    assert parse.parse_stream_event("notification", event, OWN, HOST).remote_id == "110200"
    assert parse.parse_stream_event("filters_changed", "", OWN, HOST) is None


def test_instance_limits_are_read_from_its_configuration():
    limits = parse.limits_from_instance(payloads.INSTANCE_V2)
    assert (limits.max_length, limits.url_length, limits.max_media, limits.max_alt_text) == (500, 23, 4, 1500)
    assert "image/heic" in limits.image_types and "audio/mpeg" not in limits.image_types
    assert limits.video_types == ("video/webm", "video/mp4")
    assert limits.max_video_bytes == 103809024


def test_an_instance_with_longer_posts_and_an_old_key():
    limits = parse.limits_from_instance(payloads.INSTANCE_LONG_POSTS)
    assert (limits.max_length, limits.max_media, limits.url_length) == (5000, 8, 23)


def test_limits_survive_the_trip_through_the_channel_settings():
    limits = parse.limits_from_instance(payloads.INSTANCE_V2)
    assert parse.limits_from_config(parse.limits_to_config(limits)) == limits
