from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from pregonero.channels.connectors.http_sink.sink import Sink
from pregonero.channels.connectors.mastodon import parse
from pregonero.channels.connectors.mastodon.client import MastodonClient
from pregonero.channels.models import Channel, Health
from pregonero.channels.tests.peers import MastodonMock


@pytest.fixture
def sink() -> Iterator[Sink]:
    peer = Sink().start()
    yield peer
    peer.stop()


_ACCOUNTS = itertools.count(1)


@pytest.fixture(scope="session")
def mastodon_peer() -> Iterator[MastodonMock]:
    """One mastodon-mock for the whole session: tests make their own accounts on it."""
    peer = MastodonMock()
    yield peer
    peer.stop()


@pytest.fixture
def mastodon(mastodon_peer, settings) -> Iterator[MastodonMock]:
    # The mock listens on 127.0.0.1, which the outbound guard refuses by default.
    settings.OUTBOUND_ALLOW_PRIVATE = True
    yield mastodon_peer
    mastodon_peer.clear_faults()


@pytest.fixture
def mastodon_account(mastodon) -> dict:
    """A fresh account on the mock (the mock lives for the session, so names must differ)."""
    return mastodon.new_account(f"ayto{next(_ACCOUNTS)}")


@pytest.fixture
def mastodon_channel(vilanova, mastodon, mastodon_account) -> Channel:
    """A Mastodon channel of vilanova connected to ``mastodon_account`` (as the connect flow leaves it)."""
    instance = MastodonClient(mastodon.url).instance_info()
    channel = Channel(
        organisation=vilanova,
        connector="mastodon",
        name="Mastodon",
        config={
            "instance": mastodon.url,
            "account_id": mastodon_account["id"],
            "account": f"@{mastodon_account['username']}@127.0.0.1:{mastodon.port}",
            "limits": parse.limits_to_config(parse.limits_from_instance(instance)),
        },
        health=Health.OK,
    )
    channel.set_secret_values({"access_token": mastodon_account["access_token"]})
    channel.save()
    return channel
