"""Matrix events to Pregonero's objects: pure parsing, events shaped as the specification shows them."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.matrix import parse
from pregonero.channels.tests.payloads import matrix as payloads

OWN, ROOM = payloads.OWN, payloads.ROOM


def test_a_reply_loses_its_quoted_fallback_and_keeps_what_it_answers():
    message = parse.parse_event(payloads.REPLY, OWN, ROOM)
    assert message.kind == MessageKind.REPLY
    assert message.text == "A quina hora? 🏊"
    assert message.in_reply_to == "$ours"
    assert message.author_handle == "@marta:matrix.org"
    assert message.created_at == datetime(2025, 11, 20, 10, 15, 30, tzinfo=UTC)
    assert message.url == f"https://matrix.to/#/{ROOM}/$reply1"


def test_a_message_in_a_thread_in_cyrillic():
    message = parse.parse_event(payloads.THREAD, OWN, ROOM)
    assert (message.kind, message.text, message.conversation) == (MessageKind.REPLY, "Молодці!", "$ours")


def test_an_edit_names_the_edited_message_and_carries_the_new_text():
    message = parse.parse_event(payloads.EDIT, OWN, ROOM)
    assert (message.remote_id, message.text) == ("$reply1", "A quina hora obre?")
    assert message.edited_at == datetime(2025, 11, 20, 10, 15, 32, tzinfo=UTC)


def test_an_image_with_a_caption_and_a_file_without_one():
    image = parse.parse_event(payloads.IMAGE, OWN, ROOM)
    assert image.text == "Fanal trencat al carrer Major"
    assert [(m.kind, m.url, m.description, m.mime) for m in image.media] == [
        ("image", "mxc://matrix.org/SEsfnsuifSDFSSEF", "Fanal trencat al carrer Major", "image/jpeg")
    ]
    document = parse.parse_event(payloads.FILE_NO_CAPTION, OWN, ROOM)
    assert document.text == "" and document.media[0].kind == "file"


def test_redactions_in_both_room_versions_are_deletions():
    assert parse.parse_event(payloads.REDACTION_V11, OWN, ROOM).remote_id == "$thread1"
    old = parse.parse_event(payloads.REDACTION_OLD, OWN, ROOM)
    assert old.deleted and old.remote_id == "$image1"


def test_ours_state_reactions_and_already_redacted_events_are_not_messages():
    for event in (payloads.OURS, payloads.MEMBER, payloads.REACTION, payloads.REDACTED):
        assert parse.parse_event(event, OWN, ROOM) is None


def test_a_page_is_read_oldest_first():
    chunk = [payloads.EDIT, payloads.MEMBER, payloads.REPLY, payloads.OURS, payloads.THREAD]
    assert [m.remote_id for m in parse.parse_messages(chunk, OWN, ROOM)] == ["$reply1", "$thread1", "$reply1"]


def test_a_body_that_only_quotes_is_empty_and_one_without_quotes_is_kept():
    assert parse.strip_reply_fallback("> <@a:b> hola") == ""
    assert parse.strip_reply_fallback("hola\n> no es cita") == "hola\n> no es cita"
