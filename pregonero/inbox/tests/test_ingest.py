"""Ingestion from a fake connector: dedup, edits, deletions, grouping, cursors, two workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pregonero.channels.connectors.base import ConnectorError
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel
from pregonero.core import clock
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, InboundCursor, Kind, Message, State
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.conftest import queue
from pregonero.inbox.tests.fakes import message

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, 11:00 in Madrid


def test_messages_come_in_once_and_the_cursor_moves_on(channel):
    queue(
        channel,
        [message("m1", "¿A qué hora abre la piscina municipal este verano?")],
        [message("m2", "Gracias")],
    )
    assert ingest.ingest_channel(channel, now=NOW).counts == {"new": 1}
    assert InboundCursor.objects.get(channel=channel).cursor == "c1"
    assert ingest.ingest_channel(channel, now=NOW).counts == {"new": 1}
    assert InboundCursor.objects.get(channel=channel).cursor == "c2"
    assert ingest.ingest_channel(channel, now=NOW).counts == {}
    assert Message.objects.count() == 2


def test_the_same_message_twice_is_stored_once(channel):
    item = message("m1", "La farola de mi calle no funciona desde hace una semana.")
    assert ingest.store(channel, item, now=NOW) == ingest.NEW
    assert ingest.store(channel, item, now=NOW) == ingest.DUPLICATE
    assert Message.objects.count() == 1
    assert Conversation.objects.count() == 1


def test_an_edit_updates_the_text_and_keeps_the_previous_one(channel):
    ingest.store(channel, message("m1", "La farola no funciona."), now=NOW)
    edited = message("m1", "La farola de la calle Mayor 3 no funciona.", edited_at=NOW + timedelta(minutes=5))
    assert ingest.store(channel, edited, now=NOW) == ingest.EDITED
    stored = Message.objects.get()
    assert stored.text == "La farola de la calle Mayor 3 no funciona."
    assert stored.edited
    assert [(r.text, r.reason) for r in stored.revisions.all()] == [("La farola no funciona.", "edited")]
    # The same edit seen again changes nothing.
    assert ingest.store(channel, edited, now=NOW) == ingest.DUPLICATE
    assert stored.revisions.count() == 1


def test_a_deletion_marks_the_message_and_keeps_its_text(channel):
    ingest.store(channel, message("m1", "Sois unos inútiles."), now=NOW)
    gone = message("m1", "", deleted=True)
    assert ingest.store(channel, gone, now=NOW) == ingest.DELETED
    stored = Message.objects.get()
    assert stored.deleted and stored.text == "Sois unos inútiles."
    assert stored.revisions.get().reason == "deleted"
    assert ingest.store(channel, gone, now=NOW) == ingest.DUPLICATE
    # The deletion of a message never seen stores nothing.
    assert ingest.store(channel, message("never", "", deleted=True), now=NOW) == ingest.IGNORED
    assert Message.objects.count() == 1


def test_grouping_threads_mentions_and_private_chats(channel):
    ingest.store(channel, message("m1", "¿Cuándo arreglan el parque?", in_reply_to="post-1"), now=NOW)
    # María answers herself under the same post, then in the chain: same conversation.
    ingest.store(channel, message("m2", "Lleva así meses.", in_reply_to="post-1"), now=NOW)
    ingest.store(channel, message("m3", "¿Alguien lo lee?", in_reply_to="m2"), now=NOW)
    # Another citizen under the same post: their own thread.
    ingest.store(
        channel, message("j1", "Yo también lo he visto.", author="7", handle="@joan@fake.example"), now=NOW
    )
    # Two private messages from María: one private chat.
    for remote_id in ("d1", "d2"):
        ingest.store(
            channel,
            message(remote_id, "Hola, una consulta privada.", kind=MessageKind.DIRECT, in_reply_to=None),
            now=NOW,
        )
    ingest.store(
        channel, message("x1", "@ayto mirad esto", kind=MessageKind.MENTION, in_reply_to=None), now=NOW
    )

    by_remote = {m.remote_id: m.conversation for m in Message.objects.select_related("conversation")}
    assert by_remote["m1"] == by_remote["m2"] == by_remote["m3"]
    assert by_remote["j1"] != by_remote["m1"]
    assert by_remote["d1"] == by_remote["d2"]
    assert by_remote["m1"].kind == Kind.THREAD and by_remote["m1"].post_remote_id == "post-1"
    assert by_remote["d1"].kind == Kind.PRIVATE
    assert by_remote["x1"].kind == Kind.MENTION
    assert Conversation.objects.count() == 4


def test_a_second_worker_that_stored_first_wins_the_insert(channel, monkeypatch):
    """Between our check and our insert another worker stored the message: the unique
    constraint catches it and the message counts as already there."""
    ingest.store(channel, message("m1", "Primera versión del mensaje."), now=NOW)
    monkeypatch.setattr(ingest, "_known", lambda channel, remote_id: False)
    assert ingest.store(channel, message("m1", "Primera versión del mensaje."), now=NOW) == ingest.DUPLICATE
    later = message("m1", "Segunda versión del mensaje.", edited_at=NOW)
    assert ingest.store(channel, later, now=NOW) == ingest.EDITED
    assert Message.objects.count() == 1
    assert Conversation.objects.count() == 1


def test_two_workers_fetching_the_same_batch_store_it_once(channel, monkeypatch):
    """Worker B runs a whole round while worker A is still fetching the same cursor."""
    queue(channel, [message("m1", "Uno"), message("m2", "Dos")])
    original = fakes.FakeInboundConnector.fetch_inbound
    outcomes = {}

    def fetch_while_another_worker_runs(self, cursor):
        batch = original(self, cursor)
        if "b" not in outcomes:
            outcomes["b"] = None  # B's own fetch must not start a third worker.
            outcomes["b"] = ingest.ingest_channel(Channel.objects.get(pk=channel.pk), now=NOW)
        return batch

    monkeypatch.setattr(fakes.FakeInboundConnector, "fetch_inbound", fetch_while_another_worker_runs)
    outcomes["a"] = ingest.ingest_channel(channel, now=NOW)
    assert outcomes["b"].counts == {"new": 2}
    assert outcomes["a"].counts == {"duplicate": 2}
    assert Message.objects.count() == 2
    assert InboundCursor.objects.get(channel=channel).cursor == "c1"


def test_a_failing_channel_keeps_its_error_and_the_others_go_on(channel, vilanova):
    other = Channel.objects.create(organisation=vilanova, connector="test_inbox", name="Other")
    queue(other, [message("o1", "Hola desde otro canal municipal.")])
    fakes.FAIL["fetch"] = ConnectorError("The network is down.")
    assert ingest.ingest_all(now=NOW) == {}
    assert InboundCursor.objects.get(channel=channel).error == "The network is down."
    fakes.FAIL.clear()
    assert ingest.ingest_all(now=NOW) == {"new": 1}


def test_channels_without_inbound_or_switched_off_are_skipped(vilanova, channel):
    Channel.objects.create(organisation=vilanova, connector="website", name="Web")
    channel.is_active = False
    channel.save()
    queue(channel, [message("m1", "No debería llegar nunca aquí.")])
    assert ingest.ingest_all(now=NOW) == {}
    assert not InboundCursor.objects.filter(channel=channel).exists()


def test_a_new_message_reopens_an_answered_conversation_with_a_new_clock(channel):
    ingest.store(channel, message("m1", "¿Abre la biblioteca el sábado por la mañana?"), now=NOW)
    conversation = Conversation.objects.get()
    assert conversation.state == State.NEW and conversation.due_at is not None
    Conversation.objects.filter(pk=conversation.pk).update(state=State.RESOLVED, due_at=None)
    ingest.store(channel, message("m2", "¿Y el domingo?", in_reply_to="m1"), now=NOW)
    conversation.refresh_from_db()
    assert conversation.state == State.OPEN
    assert conversation.due_at is not None


def test_the_clock_enqueues_ingestion():
    assert any(periodic.name == "inbox-ingest" for periodic in clock.SCHEDULE)


def test_a_very_long_network_id_still_groups_by_a_digest(channel):
    long_post = "at://did:plc:" + "x" * 400
    ingest.store(
        channel,
        message("m1", "Primer mensaje bajo un post con un id larguísimo.", in_reply_to=long_post),
        now=NOW,
    )
    ingest.store(
        channel, message("m2", "Segundo mensaje de la misma persona.", in_reply_to=long_post), now=NOW
    )
    conversation = Conversation.objects.get()
    assert conversation.key.startswith("thread:sha256:") and conversation.messages.count() == 2
