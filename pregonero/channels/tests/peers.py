"""The real network servers the connector tests run; they live in pregonero/testing/networks.py
(the ``demo_networks`` command starts them too)."""

from pregonero.testing.networks import (  # noqa: F401 - re-exported for the tests
    BLUESKY_DEV_ENV,
    BLUESKY_POSTGRES,
    PEERS_DIR,
    ROOT,
    SYNAPSE_PYTHON,
    BlueskyPds,
    MastodonMock,
    PeerProcess,
    Synapse,
    free_port,
    postgres_reachable,
)
