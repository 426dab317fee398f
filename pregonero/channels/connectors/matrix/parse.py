"""Matrix events to Pregonero's objects: pure functions, no I/O.

Shapes follow the Matrix client-server specification (``m.room.message`` with its msgtypes,
rich replies ``m.in_reply_to``, threads ``m.thread``, edits ``m.replace``, redactions). Only
room messages from other people are messages to the organisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

MEDIA_TYPES = {"m.image": "image", "m.video": "video", "m.audio": "audio", "m.file": "file"}


def strip_reply_fallback(body: str) -> str:
    """The text without the quoted lines clients put in front of a reply (``> <@user> …``)."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    for index, line in enumerate(lines):
        if not line.startswith(">"):
            return "\n".join(lines[index + 1 if line == "" else index :])
    return ""


def _time(event: Mapping[str, Any]) -> datetime | None:
    stamp = event.get("origin_server_ts")
    return datetime.fromtimestamp(stamp / 1000, tz=UTC) if isinstance(stamp, int) else None


def _relation(content: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(reply-to event, thread root, replaced event) named by ``m.relates_to``."""
    relates = content.get("m.relates_to") or {}
    reply = (relates.get("m.in_reply_to") or {}).get("event_id")
    rel_type, target = relates.get("rel_type"), relates.get("event_id")
    thread = target if rel_type == "m.thread" else None
    replaced = target if rel_type == "m.replace" else None
    return reply, thread, replaced


def parse_event(event: Mapping[str, Any], own_user_id: str, room_id: str = "") -> InboundMessage | None:
    """One timeline event, or None when it is not a person's message (state, ours, reactions)."""
    sender = event.get("sender", "")
    if sender == own_user_id:
        return None
    if event.get("type") == "m.room.redaction":
        redacted = event.get("redacts") or (event.get("content") or {}).get("redacts")
        if not redacted:
            return None
        return InboundMessage(
            remote_id=redacted,
            kind=MessageKind.MENTION,
            author_id=sender,
            author_handle=sender,
            text="",
            created_at=_time(event),
            conversation=room_id,
            deleted=True,
        )
    if event.get("type") != "m.room.message":
        return None
    content = event.get("content") or {}
    if not content:
        # The event was redacted before we read it.
        return None
    reply_to, thread, replaced = _relation(content)
    if replaced:
        new = content.get("m.new_content") or {}
        return InboundMessage(
            remote_id=replaced,
            kind=MessageKind.MENTION,
            author_id=sender,
            author_handle=sender,
            text=new.get("body", ""),
            created_at=None,
            conversation=room_id,
            edited_at=_time(event),
        )
    msgtype = content.get("msgtype", "m.text")
    media: tuple[InboundMedia, ...] = ()
    text = strip_reply_fallback(content.get("body", ""))
    if msgtype in MEDIA_TYPES:
        info = content.get("info") or {}
        # A media event's body is its file name, or (since Matrix 1.10, when a different
        # ``filename`` is given) a caption; either is the only description there is.
        media = (InboundMedia(MEDIA_TYPES[msgtype], content.get("url", ""), text, info.get("mimetype", "")),)
        filename = content.get("filename")
        text = text if filename and filename != content.get("body") else ""
    answering = reply_to or thread
    return InboundMessage(
        remote_id=event["event_id"],
        kind=MessageKind.REPLY if answering else MessageKind.MENTION,
        author_id=sender,
        author_handle=sender,
        text=text,
        created_at=_time(event),
        url=f"https://matrix.to/#/{room_id}/{event['event_id']}" if room_id else "",
        in_reply_to=reply_to or thread,
        conversation=thread or room_id,
        media=media,
    )


def parse_messages(
    chunk: Iterable[Mapping[str, Any]], own_user_id: str, room_id: str
) -> list[InboundMessage]:
    """Messages among the events of a ``/messages`` answer, oldest first."""
    events = sorted(chunk, key=lambda event: event.get("origin_server_ts", 0))
    return [message for event in events if (message := parse_event(event, own_user_id, room_id))]
