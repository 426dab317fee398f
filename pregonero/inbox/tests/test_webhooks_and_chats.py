"""Messages pushed to the webhook receivers come into the inbox; private chats are answered
through a connector that answers in the person's chat."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel
from pregonero.inbound.models import RawEvent
from pregonero.inbound.processing import message_to_json
from pregonero.inbox import ingest, services
from pregonero.inbox.models import Conversation, Direction, InboundCursor, Kind, Message, State
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.conftest import queue
from pregonero.inbox.tests.fakes import message

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def chat(vilanova) -> Channel:
    return Channel.objects.create(organisation=vilanova, connector="test_inbox_chat", name="Bot")


def event(channel, key, *items, processed=True) -> RawEvent:
    return RawEvent.objects.create(
        channel=channel,
        network="telegram",
        signature_ok=True,
        event_key=key,
        processed_at=timezone.now() if processed else None,
        messages=[message_to_json(item) for item in items],
    )


def private(remote_id: str, text: str):
    return message(remote_id, text, kind=MessageKind.DIRECT, in_reply_to=None, author="55", conversation="55")


def test_webhook_messages_come_in_in_order_and_wait_for_parsing(chat):
    event(chat, "e1", private("55:1", "Bon dia, vull saber com empadronar-me a Vilanova."))
    late = event(chat, "e2", processed=False)
    event(chat, "e3", private("55:3", "Quins papers cal portar?"))
    assert ingest.take_webhook_events(chat, now=NOW).counts == {"new": 1}
    # e3 waits behind e2, which the receivers have not parsed yet.
    assert InboundCursor.objects.get(channel=chat).event_mark == RawEvent.objects.get(event_key="e1").pk
    RawEvent.objects.filter(pk=late.pk).update(processed_at=timezone.now())
    assert ingest.take_webhook_events(chat, now=NOW).counts == {"new": 1}
    assert ingest.take_webhook_events(chat, now=NOW).counts == {}
    conversation = Conversation.objects.get()
    assert conversation.kind == Kind.PRIVATE and conversation.messages.count() == 2


def test_a_message_by_webhook_and_by_polling_is_stored_once(channel):
    item = message("m1", "He enviat això dues vegades pel mateix camí?")
    event(channel, "e1", item)
    queue(channel, [item])
    assert ingest.ingest_all(now=NOW) == {"new": 1, "duplicate": 1}
    assert Message.objects.count() == 1


def test_a_private_chat_is_answered_in_the_persons_chat(chat, ana):
    event(chat, "e1", private("55:1", "Bon dia, vull saber com empadronar-me a Vilanova."))
    ingest.take_webhook_events(chat, now=NOW)
    conversation = Conversation.objects.get()
    assert services.reply_ability(conversation).possible
    services.reply(
        conversation, actor=ana, text="Bon dia! Cal el DNI i el contracte de lloguer.", language="ca"
    )
    [(chat_id, sent, in_reply_to)] = fakes.ChatConnector.REPLIES
    assert (chat_id, in_reply_to) == ("55", "55:1")
    # The first reply in a private chat also carries the data-protection notice (DATA-4).
    assert sent.startswith("Bon dia! Cal el DNI i el contracte de lloguer.\n\n")
    conversation.refresh_from_db()
    assert conversation.state == State.WAITING_CITIZEN and conversation.due_at is None
    assert Message.objects.get(direction=Direction.OUT).remote_id == "55:101"


def test_a_comment_network_answers_public_comments_but_not_private_messages(vilanova, ana):
    page = Channel.objects.create(organisation=vilanova, connector="test_inbox_comment", name="Página")
    ingest.store(page, message("c1", "¿Cuándo abre el mercado municipal?", when=NOW), now=NOW)
    ingest.store(page, private("p1", "Os escribo por privado."), now=NOW)
    public, chat = Conversation.objects.get(kind=Kind.THREAD), Conversation.objects.get(kind=Kind.PRIVATE)
    services.reply(public, actor=ana, text="A las nueve.", language="es")
    assert fakes.CommentConnector.REPLIES == [("c1", "@maria@fake.example A las nueve.")]
    assert not services.reply_ability(chat).possible
