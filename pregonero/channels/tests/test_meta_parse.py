"""Meta webhook payloads to inbound messages: the pure parser."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.meta import parse
from pregonero.channels.tests.payloads import meta as p


def parsed(payload, own=p.PAGE_ID):
    return parse.parse_webhook(payload, own)


def test_a_comment_on_our_post_and_a_reply_to_it():
    comment, answer = parsed(p.page(p.COMMENT, p.REPLY_TO_COMMENT))
    assert comment.kind is MessageKind.REPLY
    assert comment.remote_id == "312870471853210_908172635412"
    assert comment.text == "Quina hora obre la piscina? 🏊"
    assert (comment.author_id, comment.author_name) == ("6029481927364810", "Marta Puig")
    assert comment.in_reply_to == p.POST_ID and comment.conversation == p.POST_ID
    assert comment.created_at == datetime(2025, 11, 20, 10, 15, 30, tzinfo=UTC)
    assert answer.in_reply_to == comment.remote_id
    assert answer.text == "Дякую за інформацію!"
    assert [(m.kind, m.url) for m in answer.media] == [
        ("image", "https://scontent.xx.fbcdn.net/v/t39.1997-6/photo.jpg")
    ]


def test_an_edit_and_a_removal_keep_the_comment_id():
    [edited] = parsed(p.page(p.EDITED))
    [removed] = parsed(p.page(p.REMOVED))
    assert edited.remote_id == removed.remote_id == "312870471853210_908172635412"
    assert "diumenge" in edited.text and edited.edited_at is not None
    assert removed.deleted and removed.text == ""


def test_our_own_comments_reactions_and_new_posts_are_not_messages():
    assert parsed(p.page(p.OWN_COMMENT, p.REACTION, p.NEW_POST)) == []


def test_messenger_messages_edits_and_unsends():
    message, edit, unsent = parsed(
        p.page(messaging=[p.MESSENGER, p.MESSENGER_EDIT, p.MESSENGER_UNSENT, p.MESSENGER_ECHO, p.READ])
    )
    assert message.kind is MessageKind.DIRECT and message.remote_id == "m_AbCdEf1234567890"
    assert message.conversation == "24019283746512345"
    assert message.created_at == datetime(2025, 11, 20, 10, 15, 30, 123000, tzinfo=UTC)
    assert [m.kind for m in message.media] == ["image"]
    assert edit.remote_id == message.remote_id and "cita prèvia" in edit.text and edit.edited_at
    assert unsent.deleted and unsent.remote_id == message.remote_id


def test_entries_of_another_page_are_skipped():
    assert parsed(p.page(p.COMMENT, page_id="999")) == []


def test_instagram_comments_replies_and_direct_messages():
    first, reply = parsed(p.INSTAGRAM_COMMENT, p.IG_ID)
    assert first.text == "素敵な写真ですね！📸" and first.author_handle == "@hanako.y"
    assert first.in_reply_to == "18068225467012345" and first.conversation == "18068225467012345"
    assert reply.in_reply_to == "17865799348089039"
    [direct] = parsed(p.INSTAGRAM_DIRECT, p.IG_ID)
    assert direct.kind is MessageKind.DIRECT and direct.text.startswith("Hola! ¿Dónde")


def test_unknown_shapes_do_not_crash():
    assert parsed({"object": "page", "entry": [{"id": p.PAGE_ID, "changes": [{"field": "mystery"}]}]}) == []
    assert parsed({"object": "page"}) == []
    assert parsed({"entry": ["not a dict"]}) == []
