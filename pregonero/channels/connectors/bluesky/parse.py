"""Bluesky notifications to Pregonero's objects: pure functions, no I/O.

Shapes follow ``app.bsky.notification.listNotifications`` (each notification carries the
author, the reason and the record). Likes, reposts and follows are not messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

KINDS = {"reply": MessageKind.REPLY, "mention": MessageKind.MENTION, "quote": MessageKind.QUOTE}


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def web_url(handle_or_did: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle_or_did}/post/{uri.rsplit('/', 1)[-1]}"


def _media(embed: Mapping[str, Any], author_did: str) -> tuple[InboundMedia, ...]:
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = embed.get("media") or {}
    if embed.get("$type") != "app.bsky.embed.images":
        return ()
    media = []
    for image in embed.get("images") or ():
        blob = image.get("image") or {}
        cid = (blob.get("ref") or {}).get("$link", "")
        media.append(
            InboundMedia(
                kind="image",
                url=f"at://{author_did}/blob/{cid}" if cid else "",
                description=image.get("alt", ""),
                mime=blob.get("mimeType", ""),
            )
        )
    return tuple(media)


def _quoted(embed: Mapping[str, Any]) -> str | None:
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = embed.get("record") or {}
    if embed.get("$type") == "app.bsky.embed.record":
        return (embed.get("record") or {}).get("uri")
    return None


def parse_notification(notification: Mapping[str, Any]) -> InboundMessage | None:
    kind = KINDS.get(notification.get("reason", ""))
    record = notification.get("record") or {}
    if kind is None or record.get("$type") != "app.bsky.feed.post":
        return None
    author = notification.get("author") or {}
    embed = record.get("embed") or {}
    reply = record.get("reply") or {}
    langs = record.get("langs") or []
    return InboundMessage(
        remote_id=notification["uri"],
        kind=kind,
        author_id=author.get("did", ""),
        author_handle=f"@{author.get('handle', '')}",
        author_name=author.get("displayName") or "",
        text=record.get("text", ""),
        created_at=_time(record.get("createdAt")),
        language=langs[0] if langs else "",
        url=web_url(author.get("handle") or author.get("did", ""), notification["uri"]),
        in_reply_to=(reply.get("parent") or {}).get("uri"),
        conversation=(reply.get("root") or {}).get("uri", ""),
        quoted=_quoted(embed),
        media=_media(embed, author.get("did", "")),
    )


def parse_notifications(
    notifications: Iterable[Mapping[str, Any]], since: str | None
) -> list[InboundMessage]:
    """Messages among notifications indexed after ``since`` (an ISO time), oldest first."""
    fresh = [n for n in notifications if not since or n.get("indexedAt", "") > since]
    fresh.sort(key=lambda n: n.get("indexedAt", ""))
    return [message for n in fresh if (message := parse_notification(n)) is not None]


def newest_indexed_at(notifications: Iterable[Mapping[str, Any]], since: str | None) -> str | None:
    times = [n["indexedAt"] for n in notifications if n.get("indexedAt")]
    if since:
        times.append(since)
    return max(times, default=None)
