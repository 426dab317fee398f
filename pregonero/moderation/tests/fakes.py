"""A fake network whose moderation calls are recorded, and can be made to fail."""

from __future__ import annotations

from pregonero.channels.connectors.base import (
    Capabilities,
    ConnectorError,
    ModerationResult,
    ModerationTarget,
)
from pregonero.inbox.tests.fakes import ChatConnector

# (call, remote_id, author_id, reference) in order; filled by the connector.
CALLS: list[tuple[str, str, str, str]] = []
FAIL: dict[str, ConnectorError] = {}


class ModeratedConnector(ChatConnector):
    key = "test_moderation"
    name = "Moderated network"
    capabilities = Capabilities(
        publish=True,
        reply=True,
        mentions=True,
        direct_messages=True,
        moderation=frozenset({"hide", "delete", "block"}),
    )

    def _call(self, name: str, target: ModerationTarget, reference: str = "") -> ModerationResult:
        if name in FAIL:
            raise FAIL[name]
        CALLS.append((name, target.remote_id, target.author_id, reference))
        return ModerationResult(reference=f"ref-{len(CALLS)}")

    def hide_message(self, target):
        return self._call("hide", target)

    def unhide_message(self, target, reference=""):
        self._call("unhide", target, reference)

    def delete_message(self, target):
        return self._call("delete", target)

    def block_account(self, target):
        return self._call("block", target)

    def unblock_account(self, target, reference=""):
        self._call("unblock", target, reference)


class BlockOnlyConnector(ModeratedConnector):
    key = "test_moderation_block"
    name = "Block-only network"
    capabilities = Capabilities(publish=True, reply=True, moderation=frozenset({"block"}))
