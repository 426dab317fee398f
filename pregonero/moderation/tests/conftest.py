from __future__ import annotations

import pytest
from django.utils import timezone

from pregonero.channels import connectors
from pregonero.channels.models import Channel

# The inbox's fake network and the real peers' fixtures, reused as they are.
from pregonero.channels.tests.conftest import (  # noqa: F401
    bluesky,
    bluesky_account,
    bluesky_channel,
    bluesky_peer,
    mastodon,
    mastodon_account,
    mastodon_channel,
    mastodon_peer,
    matrix_channel,
    matrix_room,
    synapse,
    synapse_peer,
)
from pregonero.inbox.tests.conftest import fake_network  # noqa: F401
from pregonero.inbox.tests.fakes import ChatConnector, message
from pregonero.moderation import services
from pregonero.moderation.tests import fakes


@pytest.fixture(autouse=True)
def moderated_network(monkeypatch, fake_network):  # noqa: F811
    monkeypatch.setitem(
        connectors.TESTING_REGISTRY, "test_moderation", "pregonero.moderation.tests.fakes.ModeratedConnector"
    )
    monkeypatch.setitem(
        connectors.TESTING_REGISTRY,
        "test_moderation_block",
        "pregonero.moderation.tests.fakes.BlockOnlyConnector",
    )
    connectors.connector_class.cache_clear()
    fakes.CALLS.clear()
    fakes.FAIL.clear()
    ChatConnector.REPLIES.clear()
    yield
    connectors.connector_class.cache_clear()


@pytest.fixture
def channel(vilanova) -> Channel:
    return Channel.objects.create(
        organisation=vilanova,
        connector="test_moderation",
        name="Fòrum",
        config={"account": "@ayto@fake.example"},
    )


def store(channel, remote_id: str, text: str, **extra):
    from pregonero.inbox import ingest
    from pregonero.inbox.models import Message

    ingest.store(channel, message(remote_id, text, when=timezone.now(), **extra))
    return Message.objects.get(channel=channel, remote_id=remote_id)


@pytest.fixture
def insult(channel):
    return store(channel, "m1", "Sou uns inútils i uns lladres, tots.")


@pytest.fixture
def rules(vilanova, alba):
    return services.publish_rules(vilanova, actor=alba, drafts=services.standard_rules(vilanova))


@pytest.fixture
def respectful(rules):
    return rules.rules.get(code="R2")
