from __future__ import annotations

import pytest

from pregonero.channels import connectors
from pregonero.channels.models import Channel

# The Mastodon mock's and Synapse's fixtures, reused as they are for the integration tests.
from pregonero.channels.tests.conftest import (  # noqa: F401
    mastodon,
    mastodon_account,
    mastodon_channel,
    mastodon_peer,
    matrix_channel,
    matrix_room,
    synapse,
    synapse_peer,
)
from pregonero.inbox.tests import fakes


@pytest.fixture(autouse=True)
def fake_network(monkeypatch):
    monkeypatch.setitem(
        connectors.TESTING_REGISTRY, "test_inbox", "pregonero.inbox.tests.fakes.FakeInboundConnector"
    )
    monkeypatch.setitem(
        connectors.TESTING_REGISTRY, "test_inbox_mute", "pregonero.inbox.tests.fakes.NoReplyConnector"
    )
    monkeypatch.setitem(
        connectors.TESTING_REGISTRY, "test_inbox_chat", "pregonero.inbox.tests.fakes.ChatConnector"
    )
    monkeypatch.setitem(
        connectors.TESTING_REGISTRY, "test_inbox_comment", "pregonero.inbox.tests.fakes.CommentConnector"
    )
    connectors.connector_class.cache_clear()
    fakes.ChatConnector.REPLIES.clear()
    fakes.CommentConnector.REPLIES.clear()
    fakes.QUEUE.clear()
    fakes.PUBLISHED.clear()
    fakes.FAIL.clear()
    yield
    connectors.connector_class.cache_clear()


@pytest.fixture
def channel(vilanova) -> Channel:
    return Channel.objects.create(
        organisation=vilanova, connector="test_inbox", name="Fake", config={"account": "@ayto@fake.example"}
    )


def queue(channel, *batches):
    """Queue batches: the first answers cursor None, each next one the previous batch's cursor."""
    from pregonero.channels.connectors.inbound import InboundBatch

    cursor = None
    for index, messages in enumerate(batches):
        following = f"c{index + 1}"
        fakes.QUEUE.setdefault(channel.pk, []).append((cursor, InboundBatch(tuple(messages), following)))
        cursor = following
