"""What happens becomes an archive record in the same transaction: posts out, messages in and out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pregonero.archive import services
from pregonero.archive.models import ArchiveRecord, Direction, Kind
from pregonero.inbox import ingest
from pregonero.inbox import services as inbox
from pregonero.inbox.models import Conversation
from pregonero.inbox.tests.fakes import message
from pregonero.publishing import attention, dispatch
from pregonero.publishing.models import PublicationState
from pregonero.publishing.tests.conftest import make_channel, make_publication

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_a_publication_sent_by_the_dispatcher_is_archived_with_its_text_and_address(vilanova, ana, sink):
    channel = make_channel(vilanova, "Xarxa", sink)
    publication = make_publication(
        channel, ana, parts=("Obres al carrer Major.", "Desviaments per la plaça.")
    )
    assert dispatch.dispatch_next("worker-a") == (publication.pk, PublicationState.SENT)
    publication.refresh_from_db()
    record = ArchiveRecord.objects.get(kind=Kind.POST_PUBLISHED)
    assert (record.source_type, record.source_id) == ("publishing.publication", str(publication.pk))
    assert record.text == "Obres al carrer Major.\n\nDesviaments per la plaça."
    assert (record.remote_id, record.url) == (publication.remote_id, publication.remote_url)
    assert (record.direction, record.language, record.channel_label) == (Direction.OUT, "ca", "Xarxa")
    assert record.post_ref == publication.post_id
    assert record.content["variant"]["parts"] == ["Obres al carrer Major.", "Desviaments per la plaça."]
    assert len(record.content["parts"]) == 2
    assert services.verify().ok


def test_a_failed_publication_leaves_no_record_until_a_person_marks_it_published(vilanova, ana, sink):
    channel = make_channel(vilanova, "Xarxa", sink)
    publication = make_publication(channel, ana)
    sink.fail_next(status=422)
    assert dispatch.dispatch_next("worker-a") == (publication.pk, PublicationState.FAILED)
    assert not ArchiveRecord.objects.exists()
    publication.refresh_from_db()
    attention.mark_sent(publication, actor=ana, url="https://xarxa.example/@vilanova/7")
    record = ArchiveRecord.objects.get()
    assert record.url == "https://xarxa.example/@vilanova/7"
    assert record.content["marked_sent_by"] == str(ana)


def test_a_citizens_message_its_edit_and_its_deletion_are_each_archived(channel):
    ingest.store(channel, message("m1", "La farola no funciona."), now=NOW)
    edited = message("m1", "La farola del carrer Major 3 no funciona.", edited_at=NOW + timedelta(minutes=5))
    ingest.store(channel, edited, now=NOW)
    ingest.store(channel, message("m1", "", deleted=True), now=NOW)
    received, changed, deleted = ArchiveRecord.objects.order_by("seq")
    assert (received.kind, received.direction, received.text) == (
        Kind.MESSAGE_RECEIVED,
        Direction.IN,
        "La farola no funciona.",
    )
    assert received.author == "María (@maria@fake.example)"
    assert received.conversation_ref == Conversation.objects.get().pk
    assert (changed.kind, changed.text) == (Kind.MESSAGE_EDITED, "La farola del carrer Major 3 no funciona.")
    assert changed.content["previous_text"] == "La farola no funciona."
    # REC-2: deleted on the network, kept in the archive with what it said.
    assert (deleted.kind, deleted.text) == (Kind.MESSAGE_DELETED, "La farola del carrer Major 3 no funciona.")
    assert services.verify().ok


def test_the_same_message_seen_twice_is_archived_once(channel):
    item = message("m1", "Hola")
    ingest.store(channel, item, now=NOW)
    ingest.store(channel, item, now=NOW)
    assert ArchiveRecord.objects.count() == 1


def test_a_reply_sent_from_the_inbox_is_archived_as_ours(channel, ana):
    ingest.store(channel, message("m1", "On puc deixar els mobles vells?"), now=NOW)
    conversation = Conversation.objects.get()
    inbox.reply(conversation, actor=ana, text="Al punt net del polígon.", language="ca")
    record = ArchiveRecord.objects.get(kind=Kind.MESSAGE_SENT)
    assert record.direction == Direction.OUT
    assert record.text.endswith("Al punt net del polígon.")
    assert record.content["sent_by"] == str(ana)
    assert record.conversation_ref == conversation.pk
