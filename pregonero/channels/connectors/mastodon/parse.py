"""Mastodon's JSON to Pregonero's objects: pure functions, no I/O.

Shapes follow Mastodon's API documentation (entities Instance, Status, Notification,
MediaAttachment; streaming events). Statuses carry HTML; :func:`html_to_text` keeps what a
person reads, including the full address of links that Mastodon shortens on screen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any

from pregonero.channels.connectors.base import Limits
from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

# What Mastodon's own defaults are, for an instance that does not say (before 3.4).
DEFAULT_LIMITS = Limits(
    max_length=500,
    length_method="characters",
    url_length=23,
    max_thread=25,
    max_media=4,
    max_image_bytes=16 * 1024 * 1024,
    max_video_bytes=99 * 1024 * 1024,
    image_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
    video_types=("video/mp4", "video/webm", "video/quicktime"),
    max_alt_text=1500,
)
# Notification types that bring a message to the organisation; the rest (favourites,
# boosts, follows) are reactions, not messages.
MESSAGE_TYPES = ("mention", "quote", "update")


def limits_from_instance(instance: Mapping[str, Any]) -> Limits:
    """The limits an instance declares in ``/api/v2/instance`` (or v1) ``configuration``.

    Missing values keep Mastodon's defaults; ``max_toot_chars`` is the older key some
    forks (Pleroma, glitch-soc) still send.
    """
    configuration = instance.get("configuration") or {}
    statuses = configuration.get("statuses") or {}
    media = configuration.get("media_attachments") or {}
    types = tuple(media.get("supported_mime_types") or ())
    values = {
        "max_length": statuses.get("max_characters") or instance.get("max_toot_chars"),
        "url_length": statuses.get("characters_reserved_per_url"),
        "max_media": statuses.get("max_media_attachments"),
        "max_image_bytes": media.get("image_size_limit"),
        "max_video_bytes": media.get("video_size_limit"),
        "image_types": tuple(t for t in types if t.startswith("image/")) or None,
        "video_types": tuple(t for t in types if t.startswith("video/")) or None,
        "max_alt_text": media.get("description_limit"),
    }
    return limits_from_config({key: value for key, value in values.items() if value})


def limits_to_config(limits: Limits) -> dict[str, Any]:
    """Limits as JSON for ``channel.config``."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(limits).items()}


def limits_from_config(stored: Mapping[str, Any] | None) -> Limits:
    """Limits stored by :func:`limits_to_config`; unknown keys are ignored."""
    known = {field.name for field in fields(Limits)}
    values = asdict(DEFAULT_LIMITS)
    for key, value in (stored or {}).items():
        if key in known:
            values[key] = tuple(value) if isinstance(value, list) else value
    return Limits(**values)


class _TextExtractor(HTMLParser):
    """Collects text; paragraphs become blank lines and ``<br>`` a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    """Plain text of a status's HTML ``content``. Link text is kept whole: Mastodon hides
    part of long addresses in ``<span class="invisible">``, which is still text."""
    extractor = _TextExtractor()
    extractor.feed(content or "")
    extractor.close()
    return unescape("".join(extractor.parts)).strip()


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def account_handle(account: Mapping[str, Any], instance_host: str = "") -> str:
    """``@user@host`` for anyone: local accounts' ``acct`` has no host, so add ours."""
    acct = account.get("acct") or account.get("username") or ""
    if "@" not in acct and instance_host:
        acct = f"{acct}@{instance_host}"
    return f"@{acct}"


def _media(attachments: Iterable[Mapping[str, Any]]) -> tuple[InboundMedia, ...]:
    kinds = {"image": "image", "gifv": "video", "video": "video", "audio": "audio"}
    return tuple(
        InboundMedia(
            kind=kinds.get(item.get("type", ""), "file"),
            url=item.get("url") or item.get("remote_url") or "",
            description=item.get("description") or "",
        )
        for item in attachments
    )


def _quoted_status(status: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(quoted status id, its author's id) of a quote post (Mastodon 4.4+ ``quote``)."""
    quote = status.get("quote") or {}
    quoted = quote.get("quoted_status")
    if isinstance(quoted, Mapping):
        return str(quoted.get("id")), str((quoted.get("account") or {}).get("id") or "") or None
    quoted_id = quote.get("quoted_status_id")
    return (str(quoted_id), None) if quoted_id else (None, None)


def kind_of(status: Mapping[str, Any], own_account_id: str) -> MessageKind:
    if status.get("visibility") == "direct":
        return MessageKind.DIRECT
    if str(status.get("in_reply_to_account_id") or "") == own_account_id:
        return MessageKind.REPLY
    quoted_id, quoted_author = _quoted_status(status)
    if quoted_id and quoted_author in (own_account_id, None):
        return MessageKind.QUOTE
    return MessageKind.MENTION


def parse_status(status: Mapping[str, Any], own_account_id: str, instance_host: str = "") -> InboundMessage:
    """A status addressed to the organisation's account, as an :class:`InboundMessage`.

    A content warning (``spoiler_text``) is kept in front of the text, as people see it.
    """
    account = status.get("account") or {}
    text = html_to_text(status.get("content") or "")
    warning = (status.get("spoiler_text") or "").strip()
    if warning:
        text = f"{warning}\n\n{text}" if text else warning
    in_reply_to = status.get("in_reply_to_id")
    return InboundMessage(
        remote_id=str(status["id"]),
        kind=kind_of(status, own_account_id),
        author_id=str(account.get("id") or ""),
        author_handle=account_handle(account, instance_host),
        author_name=account.get("display_name") or account.get("username") or "",
        text=text,
        created_at=parse_time(status.get("created_at")),
        language=status.get("language") or "",
        url=status.get("url") or status.get("uri") or "",
        in_reply_to=str(in_reply_to) if in_reply_to else None,
        conversation=str(status.get("conversation_id") or ""),
        quoted=_quoted_status(status)[0],
        media=_media(status.get("media_attachments") or ()),
        edited_at=parse_time(status.get("edited_at")),
    )


def parse_notifications(
    notifications: Iterable[Mapping[str, Any]], own_account_id: str, instance_host: str = ""
) -> list[InboundMessage]:
    """Messages among notifications (oldest first). Boosts, favourites and follows are
    skipped, and so is a notification without its status (deleted meanwhile)."""
    messages = []
    for notification in sorted(notifications, key=lambda item: _id_order(item.get("id"))):
        status = notification.get("status")
        if notification.get("type") not in MESSAGE_TYPES or not isinstance(status, Mapping):
            continue
        if str((status.get("account") or {}).get("id") or "") == own_account_id:
            # Our own post edited (an "update" for a boost of ours): not a message to us.
            continue
        messages.append(parse_status(status, own_account_id, instance_host))
    return messages


def newest_id(notifications: Iterable[Mapping[str, Any]], cursor: str | None) -> str | None:
    """The cursor after these notifications: the highest id seen, or the old cursor."""
    ids = [str(item["id"]) for item in notifications if item.get("id") is not None]
    if cursor:
        ids.append(cursor)
    return max(ids, key=_id_order, default=None)


def parse_stream_event(
    event: str, payload: str, own_account_id: str, instance_host: str = ""
) -> InboundMessage | None:
    """One event of Mastodon's streaming API (``user`` stream), or None when it is not about
    a message. ``delete`` carries only the id of the deleted status."""
    if event == "delete":
        return InboundMessage(
            remote_id=payload.strip(),
            kind=MessageKind.MENTION,
            author_id="",
            author_handle="",
            text="",
            created_at=None,
            deleted=True,
        )
    if event == "notification":
        found = parse_notifications([json.loads(payload)], own_account_id, instance_host)
        return found[0] if found else None
    if event == "status.update":
        status = json.loads(payload)
        mentioned = any(str(m.get("id")) == own_account_id for m in status.get("mentions") or ())
        if mentioned:
            return parse_status(status, own_account_id, instance_host)
    return None


def _id_order(value: Any) -> tuple[int, str]:
    # Mastodon ids are numbers sent as strings; compare them as numbers, shorter first.
    text = str(value or "")
    return (len(text), text)
