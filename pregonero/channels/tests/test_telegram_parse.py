"""Telegram updates to inbound messages: the pure parser."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.telegram import parse
from pregonero.channels.tests.payloads import telegram as p


def one(update):
    return parse.parse_update(update, p.BOT_ID, "VilanovaAjuntamentBot")


def test_a_private_message_is_a_direct_message_with_its_author():
    message = one(p.PRIVATE_TEXT)
    assert message.kind is MessageKind.DIRECT
    assert message.remote_id == "52011377:15"
    assert message.text == "Bon dia! A quina hora obre la piscina dissabte? 🏊"
    assert (message.author_id, message.author_handle, message.author_name) == (
        "52011377",
        "@martapuig",
        "Marta Puig",
    )
    assert message.language == "ca"
    assert message.conversation == "52011377"
    assert message.created_at == datetime(2025, 11, 20, 10, 15, 30, tzinfo=UTC)
    assert message.edited_at is None and message.url == ""


def test_an_edit_keeps_the_id_and_says_when():
    message = one(p.PRIVATE_EDIT)
    assert message.remote_id == one(p.PRIVATE_TEXT).remote_id
    assert "diumenge" in message.text
    assert message.edited_at == datetime(2025, 11, 20, 10, 16, 30, tzinfo=UTC)


def test_a_photo_keeps_its_caption_and_the_largest_size():
    message = one(p.PRIVATE_PHOTO)
    assert message.text == "Вуличний ліхтар не працює на вулиці Major 😟"
    assert message.author_handle == "Олександра"
    assert [(m.kind, m.url, m.mime) for m in message.media] == [
        ("image", "tg-file:AgACAgQAAxkBAAIBlarge", "image/jpeg")
    ]


def test_a_voice_note_without_text_is_kept_as_audio():
    message = one(p.PRIVATE_VOICE)
    assert message.text == ""
    assert [(m.kind, m.mime) for m in message.media] == [("audio", "audio/ogg")]


def test_in_a_group_a_reply_to_the_bot_and_a_mention_count_and_chatter_does_not():
    reply = one(p.GROUP_REPLY)
    assert reply.kind is MessageKind.REPLY
    assert reply.in_reply_to == "-1009988776655:4400"
    assert reply.text == "東京から来ました。何時までですか？"
    assert reply.url == "https://t.me/veinsbarriantic/4410"
    assert one(p.GROUP_MENTION).kind is MessageKind.MENTION
    assert one(p.GROUP_CHATTER) is None


def test_channel_posts_service_messages_and_reactions_are_not_messages():
    assert one(p.CHANNEL_POST) is None
    assert one(p.SERVICE_JOIN) is None
    assert one(p.REACTION) is None
    assert one({"update_id": 1, "something_new": {"x": 1}}) is None


def test_the_bots_own_messages_are_skipped():
    own = {"update_id": 5, "message": {**p.PRIVATE_TEXT["message"], "from": p.BOT}}
    assert one(own) is None


def test_updates_come_out_oldest_first_and_the_offset_moves_past_the_last():
    updates = list(reversed(p.ALL))
    messages = parse.parse_updates(updates, p.BOT_ID, "VilanovaAjuntamentBot")
    assert [m.remote_id for m in messages][:2] == ["52011377:15", "52011377:15"]
    assert len(messages) == 6
    assert parse.next_offset(updates, None) == "918273011"
    assert parse.next_offset([], "918273011") == "918273011"
