from __future__ import annotations

# The inbox's fake network and the publishing builders, reused for the capture tests.
from pregonero.inbox.tests.conftest import channel, fake_network  # noqa: F401
from pregonero.publishing.tests.conftest import _loopback_allowed, sink  # noqa: F401
