"""What every connector turns the network's own messages into (DESIGN.md, "Inbound").

Each network's parser (``connectors/<network>/parse.py``) is a pure function from the
network's JSON to these objects. The inbox deduplicates on ``(channel, remote_id)``, so an
edit arrives as a message with the same ``remote_id`` and ``edited_at`` set, and a deletion as
one with ``deleted=True`` and no text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MessageKind(StrEnum):
    # An answer to one of the organisation's own posts.
    REPLY = "reply"
    # The organisation is named in a post that does not answer one of its own.
    MENTION = "mention"
    # A private message to the organisation.
    DIRECT = "direct"
    # Someone quoted one of the organisation's posts with their own words.
    QUOTE = "quote"


@dataclass(frozen=True)
class InboundMedia:
    kind: str  # "image", "video", "audio", "file"
    url: str
    description: str = ""
    mime: str = ""


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, normalised. Text is plain: markup removed, entities decoded.

    ``remote_id`` is the network's id of the message; ``in_reply_to`` the id of the message it
    answers (one of ours, or another in the conversation); ``conversation`` groups a thread.
    ``private_thread``: on a network where one person keeps several private conversations
    apart (e-mail threads), the id of the thread a private message belongs to; the inbox then
    groups private messages by it instead of keeping one chat per person.
    """

    remote_id: str
    kind: MessageKind
    author_id: str
    author_handle: str
    text: str
    created_at: datetime | None
    author_name: str = ""
    language: str = ""
    url: str = ""
    in_reply_to: str | None = None
    conversation: str = ""
    quoted: str | None = None
    media: tuple[InboundMedia, ...] = ()
    edited_at: datetime | None = None
    deleted: bool = False
    private_thread: str = ""


@dataclass(frozen=True)
class InboundBatch:
    """Messages since a cursor, oldest first, and the cursor to ask from next time."""

    messages: tuple[InboundMessage, ...]
    cursor: str | None
