from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator

import pytest

from pregonero.channels.connectors.bluesky.connector import BlueskyConnector
from pregonero.channels.connectors.http_sink.sink import Sink
from pregonero.channels.connectors.mastodon import parse
from pregonero.channels.connectors.mastodon.client import MastodonClient
from pregonero.channels.connectors.matrix.connector import MatrixConnector
from pregonero.channels.models import Channel, Health
from pregonero.channels.tests.peers import (
    BLUESKY_DEV_ENV,
    BLUESKY_POSTGRES,
    SYNAPSE_PYTHON,
    BlueskyPds,
    MastodonMock,
    Synapse,
    postgres_reachable,
)
from pregonero.testing.peers import ensure_installed as _ensure_installed
from pregonero.testing.peers import loud_skip as _loud_skip


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


@pytest.fixture(scope="session")
def synapse_peer(tmp_path_factory) -> Iterator[Synapse]:
    """One Synapse for the whole session: tests register their own users and rooms on it."""
    _ensure_installed("ensure-synapse", SYNAPSE_PYTHON, "Synapse (Matrix homeserver)")
    peer = Synapse(tmp_path_factory.mktemp("synapse"))
    yield peer
    peer.stop()


@pytest.fixture
def synapse(synapse_peer, settings) -> Synapse:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    return synapse_peer


@pytest.fixture
def matrix_room(synapse) -> dict:
    """A bot account, a citizen who created a public room and invited the bot."""
    number = next(_ACCOUNTS)
    bot = synapse.register(f"ayto{number}")
    citizen = synapse.register(f"vecina{number}")
    room_id = synapse.create_room(citizen["access_token"], f"noticias{number}", invite=[bot["user_id"]])
    return {"bot": bot, "citizen": citizen, "room_id": room_id, "alias": f"#noticias{number}:localhost"}


@pytest.fixture
def matrix_channel(vilanova, synapse, matrix_room) -> Channel:
    """A Matrix channel of vilanova, connected the way the connect page does it."""
    connected = MatrixConnector.start_connect(
        {
            "homeserver": synapse.url,
            "access_token": matrix_room["bot"]["access_token"],
            "room": matrix_room["alias"],
        },
        return_url="",
    )
    channel = Channel(organisation=vilanova, connector="matrix", name="Matrix", config=connected.config)
    channel.set_secret_values(connected.secrets)
    channel.save()
    return channel


@pytest.fixture(scope="session")
def bluesky_peer(tmp_path_factory) -> Iterator[BlueskyPds]:
    """One PDS (with its PLC) for the whole session, in a loopback-only network namespace."""
    _ensure_installed("ensure-bluesky-pds", BLUESKY_DEV_ENV, "The Bluesky PDS (@atproto/dev-env)")
    if shutil.which("unshare") is None:
        _loud_skip("`unshare` (util-linux) is missing: the PDS cannot be isolated on loopback.")
    peer = BlueskyPds(tmp_path_factory.mktemp("bluesky"))
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def bluesky_appview_peer(tmp_path_factory) -> Iterator[BlueskyPds]:
    """One whole Bluesky network (PLC, PDS and the AppView that lists notifications) for the
    session; the AppView's index lives in PostgreSQL."""
    _ensure_installed("ensure-bluesky-pds", BLUESKY_DEV_ENV, "The Bluesky PDS (@atproto/dev-env)")
    if shutil.which("unshare") is None:
        _loud_skip("`unshare` (util-linux) is missing: the PDS cannot be isolated on loopback.")
    if not postgres_reachable():
        _loud_skip(
            f"The Bluesky AppView needs PostgreSQL at {BLUESKY_POSTGRES} (PREGONERO_BLUESKY_POSTGRES)."
        )
    peer = BlueskyPds(tmp_path_factory.mktemp("bluesky-appview"), appview=True)
    yield peer
    peer.stop()


@pytest.fixture
def bluesky(bluesky_peer, settings) -> BlueskyPds:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    return bluesky_peer


@pytest.fixture
def bluesky_account(bluesky) -> dict:
    account = bluesky.create_account(f"ayto{next(_ACCOUNTS)}")
    return {**account, "app_password": bluesky.app_password(account)}


@pytest.fixture
def bluesky_channel(vilanova, bluesky, bluesky_account) -> Channel:
    """A Bluesky channel of vilanova, connected the way the connect page does it."""
    connected = BlueskyConnector.start_connect(
        {
            "service": bluesky.url,
            "identifier": bluesky_account["handle"],
            "app_password": bluesky_account["app_password"],
        },
        return_url="",
    )
    channel = Channel(organisation=vilanova, connector="bluesky", name="Bluesky", config=connected.config)
    channel.set_secret_values(connected.secrets)
    channel.save()
    return channel
