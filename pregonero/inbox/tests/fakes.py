"""A fake network for the inbox tests: inbound batches are queued by the test, replies kept."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.base import (
    Capabilities,
    Connector,
    ConnectorError,
    OutgoingPart,
    PublishResult,
)
from pregonero.channels.connectors.inbound import InboundBatch, InboundMessage, MessageKind

# channel pk -> list of (cursor it answers, batch); filled by tests.
QUEUE: dict[int, list[tuple[str | None, InboundBatch]]] = {}
PUBLISHED: list[OutgoingPart] = []
FAIL: dict[str, ConnectorError] = {}


class FakeInboundConnector(Connector):
    key = "test_inbox"
    name = "Fake network"
    capabilities = Capabilities(publish=True, reply=True, mentions=True, direct_messages=True)

    def fetch_inbound(self, cursor):
        if "fetch" in FAIL:
            raise FAIL["fetch"]
        for seen, batch in QUEUE.get(self.channel.pk, []):
            if seen == cursor:
                return batch
        return InboundBatch(messages=(), cursor=cursor)

    def publish(self, part: OutgoingPart) -> PublishResult:
        PUBLISHED.append(part)
        return PublishResult(
            remote_id=f"ours-{len(PUBLISHED)}", url=f"https://fake.example/ours/{len(PUBLISHED)}"
        )


class NoReplyConnector(FakeInboundConnector):
    key = "test_inbox_mute"
    name = "Mute network"
    capabilities = Capabilities(publish=True)


def message(
    remote_id: str,
    text: str,
    *,
    kind=MessageKind.REPLY,
    author="42",
    handle="@maria@fake.example",
    in_reply_to: str | None = "post-1",
    when: datetime | None = None,
    **extra,
) -> InboundMessage:
    return InboundMessage(
        remote_id=remote_id,
        kind=kind,
        author_id=author,
        author_handle=handle,
        author_name=extra.pop("author_name", "María"),
        text=text,
        created_at=when or datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        in_reply_to=in_reply_to,
        **extra,
    )


class ChatConnector(FakeInboundConnector):
    """Like Telegram: answers in the person's chat with ``reply``."""

    key = "test_inbox_chat"
    name = "Chat network"
    REPLIES: list[tuple[str, str, str | None]] = []

    def reply(self, conversation: str, text: str, in_reply_to: str | None = None) -> str:
        self.REPLIES.append((conversation, text, in_reply_to))
        return f"{conversation}:{100 + len(self.REPLIES)}"


class CommentConnector(FakeInboundConnector):
    """Like Facebook: ``reply(object_id, text)`` answers a comment in public."""

    key = "test_inbox_comment"
    name = "Comment network"
    capabilities = Capabilities(publish=True)
    REPLIES: list[tuple[str, str]] = []

    def reply(self, object_id: str, text: str) -> str:
        self.REPLIES.append((object_id, text))
        return f"comment-{len(self.REPLIES)}"
