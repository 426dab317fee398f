"""Meta webhook payloads (Facebook Pages and Instagram) to Pregonero's objects: pure functions.

Shapes follow Meta's Webhooks reference: ``{"object": "page" | "instagram", "entry": [{"id",
"time", "changes": [{"field", "value"}], "messaging": [...]}]}``.

- Facebook ``feed`` changes with ``item: comment``: ``verb`` ``add`` (a new comment), ``edited``
  (same ``comment_id``, new text) or ``remove`` (a deletion). A comment whose ``parent_id`` is
  the post is an answer to our post; one whose parent is another comment answers that comment.
- Instagram ``comments`` (and ``live_comments``): ``id``, ``text``, ``from``, ``media``,
  ``parent_id`` for a reply to a comment.
- ``messaging`` (Messenger and Instagram Direct): ``message`` with ``mid``, ``text``,
  ``attachments``; ``is_deleted`` when unsent; ``message_edit`` for an edit.

Events made by the Page or account itself, and kinds that are not messages (reactions, likes,
new posts, read receipts), give nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

ATTACHMENT_KINDS = {"image": "image", "video": "video", "audio": "audio", "file": "file", "sticker": "image"}


def _time(value: Any) -> datetime | None:
    """Meta sends epoch seconds, epoch milliseconds (messaging) or ISO 8601 strings."""
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=UTC)
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00").replace("+0000", "+00:00"))
        except ValueError:
            return None
    return None


def _deleted(remote_id: str, author_id: str = "", when: datetime | None = None) -> InboundMessage:
    return InboundMessage(
        remote_id=remote_id,
        kind=MessageKind.REPLY,
        author_id=author_id,
        author_handle="",
        text="",
        created_at=when,
        deleted=True,
    )


def parse_feed_change(value: Mapping[str, Any], page_id: str) -> InboundMessage | None:
    """A Facebook Page ``feed`` change about a comment."""
    if value.get("item") != "comment" or not value.get("comment_id"):
        return None
    author = value.get("from") or {}
    if str(author.get("id") or "") == page_id:
        return None
    comment_id = str(value["comment_id"])
    when = _time(value.get("created_time"))
    verb = value.get("verb")
    if verb == "remove":
        return _deleted(comment_id, str(author.get("id") or ""), when)
    if verb not in {"add", "edited"}:
        return None
    post_id, parent_id = str(value.get("post_id") or ""), str(value.get("parent_id") or "")
    photo = value.get("photo")
    return InboundMessage(
        remote_id=comment_id,
        kind=MessageKind.REPLY,
        author_id=str(author.get("id") or ""),
        author_handle=str(author.get("name") or ""),
        author_name=str(author.get("name") or ""),
        text=str(value.get("message") or ""),
        created_at=when,
        url=f"https://www.facebook.com/{comment_id}",
        in_reply_to=parent_id or post_id or None,
        conversation=post_id,
        media=(InboundMedia("image", str(photo)),) if isinstance(photo, str) and photo else (),
        edited_at=when if verb == "edited" else None,
    )


def parse_instagram_comment(
    value: Mapping[str, Any], account_id: str, when: datetime | None
) -> InboundMessage | None:
    author = value.get("from") or {}
    if not value.get("id") or str(author.get("id") or "") == account_id:
        return None
    media_id = str((value.get("media") or {}).get("id") or "")
    username = str(author.get("username") or "")
    return InboundMessage(
        remote_id=str(value["id"]),
        kind=MessageKind.REPLY,
        author_id=str(author.get("id") or ""),
        author_handle=f"@{username}" if username else "",
        text=str(value.get("text") or ""),
        created_at=when,
        in_reply_to=str(value.get("parent_id") or media_id) or None,
        conversation=media_id,
    )


def parse_messaging(event: Mapping[str, Any], own_id: str) -> InboundMessage | None:
    """A Messenger or Instagram Direct event: a message, an edit or an unsend."""
    sender = str((event.get("sender") or {}).get("id") or "")
    if sender == own_id:
        return None
    when = _time(event.get("timestamp"))
    edit = event.get("message_edit")
    if isinstance(edit, Mapping) and edit.get("mid"):
        return InboundMessage(
            remote_id=str(edit["mid"]),
            kind=MessageKind.DIRECT,
            author_id=sender,
            author_handle=sender,
            text=str(edit.get("text") or ""),
            created_at=None,
            conversation=sender,
            edited_at=when,
        )
    message = event.get("message")
    if not isinstance(message, Mapping) or not message.get("mid") or message.get("is_echo"):
        return None
    if message.get("is_deleted"):
        return InboundMessage(
            remote_id=str(message["mid"]),
            kind=MessageKind.DIRECT,
            author_id=sender,
            author_handle=sender,
            text="",
            created_at=when,
            conversation=sender,
            deleted=True,
        )
    media = tuple(
        InboundMedia(
            ATTACHMENT_KINDS.get(item.get("type"), "file"), str((item.get("payload") or {}).get("url") or "")
        )
        for item in message.get("attachments") or ()
        if isinstance(item, Mapping) and (item.get("payload") or {}).get("url")
    )
    reply_to = (message.get("reply_to") or {}).get("mid")
    return InboundMessage(
        remote_id=str(message["mid"]),
        kind=MessageKind.DIRECT,
        author_id=sender,
        author_handle=sender,
        text=str(message.get("text") or ""),
        created_at=when,
        in_reply_to=str(reply_to) if reply_to else None,
        conversation=sender,
        media=media,
    )


def parse_webhook(payload: Mapping[str, Any], own_id: str) -> list[InboundMessage]:
    """Every message in one webhook call for the Page or Instagram account ``own_id``.
    Entries about other Pages or accounts (one app may serve several) are skipped."""
    found: list[InboundMessage | None] = []
    for entry in payload.get("entry") or ():
        if not isinstance(entry, Mapping) or str(entry.get("id") or "") != own_id:
            continue
        when = _time(entry.get("time"))
        for change in entry.get("changes") or ():
            value = change.get("value") or {}
            field = change.get("field")
            if payload.get("object") == "page" and field == "feed":
                found.append(parse_feed_change(value, own_id))
            elif payload.get("object") == "instagram" and field in {"comments", "live_comments"}:
                found.append(parse_instagram_comment(value, own_id, when))
        for event in entry.get("messaging") or ():
            if isinstance(event, Mapping):
                found.append(parse_messaging(event, own_id))
    return [message for message in found if message is not None]
