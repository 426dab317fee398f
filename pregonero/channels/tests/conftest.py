from __future__ import annotations

from collections.abc import Iterator

import pytest

from pregonero.channels.connectors.http_sink.sink import Sink


@pytest.fixture
def sink() -> Iterator[Sink]:
    peer = Sink().start()
    yield peer
    peer.stop()
