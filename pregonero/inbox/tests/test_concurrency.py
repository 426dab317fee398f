"""Several workers ingesting the same channel at the same moment (real threads, PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from pregonero.channels.models import Channel
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, InboundCursor, Message
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.conftest import queue
from pregonero.inbox.tests.fakes import message

WORKERS = 4


@pytest.mark.django_db(transaction=True)
def test_workers_ingesting_at_once_store_each_message_once(channel, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database locks tables, not rows; covered on PostgreSQL.")
    thread_messages = [
        message(f"m{n}", f"Mensaje número {n} del mismo hilo.", in_reply_to="post-1") for n in range(20)
    ]
    others = [
        message(f"o{n}", f"Otra persona, mensaje {n}.", author=str(100 + n), handle=f"@p{n}@fake.example")
        for n in range(10)
    ]
    queue(channel, thread_messages + others)
    start = threading.Barrier(WORKERS)
    original = fakes.FakeInboundConnector.fetch_inbound

    def fetch_together(self, cursor):
        batch = original(self, cursor)
        start.wait()  # every worker has read the same cursor before any stores
        return batch

    monkeypatch.setattr(fakes.FakeInboundConnector, "fetch_inbound", fetch_together)
    outcomes: list[dict] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            outcomes.append(ingest.ingest_channel(Channel.objects.get(pk=channel.pk)).counts)
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(counts.get("new", 0) for counts in outcomes) == 30
    assert sum(counts.get("duplicate", 0) for counts in outcomes) == 30 * (WORKERS - 1)
    assert Message.objects.count() == 30
    assert Conversation.objects.count() == 11
    assert InboundCursor.objects.get(channel=channel).cursor == "c1"
