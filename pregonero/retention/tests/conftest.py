from __future__ import annotations

from pregonero.inbox.tests.conftest import channel, fake_network  # noqa: F401
