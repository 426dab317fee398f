"""Retention (DATA-5): expired citizens' messages are blocked, then destroyed; holds suspend both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from pregonero.archive import services as archive
from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.inbox import ingest
from pregonero.inbox import services as inbox
from pregonero.inbox.models import Conversation, Message, State
from pregonero.inbox.models import Kind as ConversationKind
from pregonero.inbox.tests.fakes import message
from pregonero.retention import services
from pregonero.retention.models import Category, LegalHold, RetentionPolicy

pytestmark = pytest.mark.django_db
THEN = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
LATER = THEN + timedelta(days=800)  # past two years of keeping
MUCH_LATER = LATER + timedelta(days=40)  # past 30 days of blocking too


def _conversation(
    channel, remote_id: str, text: str, *, kind=ConversationKind.PRIVATE, handle="@maria@fake.example"
):
    from pregonero.channels.connectors.inbound import MessageKind

    kind_of_message = MessageKind.DIRECT if kind == ConversationKind.PRIVATE else MessageKind.REPLY
    ingest.store(channel, message(remote_id, text, kind=kind_of_message, handle=handle, when=THEN), now=THEN)
    conversation = Message.objects.get(remote_id=remote_id).conversation
    Conversation.objects.filter(pk=conversation.pk).update(state=State.CLOSED, last_message_at=THEN)
    return conversation


def _policy(vilanova, category=Category.PRIVATE, keep=730, block=30):
    return RetentionPolicy.objects.create(
        organisation=vilanova, category=category, keep_days=keep, block_days=block
    )


def test_expired_private_messages_are_blocked_then_destroyed_and_the_chain_still_verifies(channel, vilanova):
    _policy(vilanova)
    conversation = _conversation(channel, "d1", "El meu DNI és 12345678Z, quan em toca la cita?")
    record = ArchiveRecord.objects.get(kind=Kind.MESSAGE_RECEIVED)

    report = services.run(now=LATER)
    assert (report.blocked, report.destroyed) == (1, 0)
    record.refresh_from_db()
    assert record.blocked_at is not None and record.blocked_reason == "retention:private"
    assert record.text.startswith("El meu DNI")  # blocked, not yet destroyed
    assert not archive.visible_records(vilanova).filter(pk=record.pk).exists()
    # The inbox's working copy goes at once: the blocked archive copy is the only one left.
    assert Message.objects.get(conversation=conversation).text == ""
    assert Conversation.objects.get(pk=conversation.pk).citizen_handle == services.ERASED

    report = services.run(now=MUCH_LATER)
    assert report.destroyed == 1
    record.refresh_from_db()
    assert record.destroyed_at is not None and record.text == ""
    tombstone = ArchiveRecord.objects.get(kind=Kind.DESTROYED)
    assert tombstone.content["destroyed_seq"] == record.seq
    assert archive.verify().ok
    assert services.run(now=MUCH_LATER).destroyed == 0


def test_a_conversation_still_open_or_recent_is_not_touched(channel, vilanova):
    _policy(vilanova)
    recent = _conversation(channel, "d1", "Hola")
    Conversation.objects.filter(pk=recent.pk).update(last_message_at=LATER - timedelta(days=10))
    still_open = _conversation(channel, "d2", "Bon dia", handle="@pere@fake.example")
    Conversation.objects.filter(pk=still_open.pk).update(state=State.OPEN)
    assert services.run(now=LATER).blocked == 0


def test_public_comments_expire_but_our_public_answers_are_kept(channel, vilanova, ana):
    _policy(vilanova, Category.PUBLIC)
    conversation = _conversation(channel, "c1", "Quan arreglaran la font?", kind=ConversationKind.THREAD)
    Conversation.objects.filter(pk=conversation.pk).update(state=State.OPEN)
    inbox.reply(
        Conversation.objects.get(pk=conversation.pk), actor=ana, text="La setmana que ve.", language="ca"
    )
    Conversation.objects.filter(pk=conversation.pk).update(state=State.CLOSED, last_message_at=THEN)
    assert services.run(now=LATER).blocked == 1
    ours = ArchiveRecord.objects.get(kind=Kind.MESSAGE_SENT)
    assert ours.blocked_at is None


def test_a_policy_switched_off_does_nothing(channel, vilanova):
    policy = _policy(vilanova)
    policy.active = False
    policy.save()
    _conversation(channel, "d1", "Hola")
    assert services.run(now=LATER).blocked == 0


@pytest.mark.parametrize("cover", ["everything", "citizen", "conversation"])
def test_a_legal_hold_suspends_expiry_until_it_is_released(channel, vilanova, alba, cover):
    _policy(vilanova)
    conversation = _conversation(channel, "d1", "Vull denunciar l'accident de dijous.")
    hold = LegalHold(title="Procediment 12/2026", reason="Jutjat núm. 2")
    if cover == "everything":
        hold.everything = True
    elif cover == "citizen":
        hold.citizen = "@maria@fake.example"
    else:
        hold.conversations = [conversation.pk]
    services.place_hold(vilanova, actor=alba, hold=hold)
    report = services.run(now=LATER)
    assert (report.blocked, report.held) == (0, 1)
    services.release_hold(hold, actor=alba)
    assert services.run(now=LATER).blocked == 1


def test_a_hold_on_blocked_records_stops_their_destruction(channel, vilanova, alba):
    _policy(vilanova)
    _conversation(channel, "d1", "Hola")
    services.run(now=LATER)
    services.place_hold(vilanova, actor=alba, hold=LegalHold(title="Auditoria", reason="-", everything=True))
    assert services.run(now=MUCH_LATER).destroyed == 0


def test_the_command_applies_the_policies(channel, vilanova, capsys, settings):
    _policy(vilanova, keep=1)
    conversation = _conversation(channel, "d1", "Hola")
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=datetime.now(UTC) - timedelta(days=3)
    )
    call_command("archive", "retention")
    assert "Retention applied: 1 records blocked, 0 destroyed" in capsys.readouterr().out
