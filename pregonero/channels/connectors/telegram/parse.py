"""Telegram Bot API updates to Pregonero's objects: pure functions, no I/O.

Shapes follow the Bot API reference (``Update``, ``Message``). What counts as a message to the
organisation: anything a person writes to the bot in a private chat (a citizen conversation),
and, in a group, a reply to one of the bot's messages or a message naming the bot. Channel
posts are the organisation's own and are skipped. An edit arrives as ``edited_message`` with
``edit_date`` and keeps the same ``remote_id``. The Bot API does not tell bots about deleted
messages, so nothing here is ever ``deleted``.

Message ids are numbered per chat, so ``remote_id`` is ``"<chat id>:<message id>"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

# Update fields that carry a person's message; "edited_*" are edits of the same message.
MESSAGE_FIELDS = ("message", "edited_message", "business_message", "edited_business_message")
MEDIA_FIELDS = {
    "photo": "image",
    "video": "video",
    "animation": "video",
    "voice": "audio",
    "audio": "audio",
    "video_note": "video",
    "document": "file",
    "sticker": "image",
}
# The largest photo size is last; a file is fetched later with getFile and its file_id.
FILE_URL = "tg-file:{file_id}"


def message_id(chat_id: Any, message_id: Any) -> str:
    return f"{chat_id}:{message_id}"


def _time(stamp: Any) -> datetime | None:
    return datetime.fromtimestamp(stamp, tz=UTC) if isinstance(stamp, int) and stamp > 0 else None


def _media(message: Mapping[str, Any]) -> tuple[InboundMedia, ...]:
    for field, kind in MEDIA_FIELDS.items():
        item = message.get(field)
        if item is None:
            continue
        if field == "photo" and isinstance(item, list) and item:
            item = item[-1]
        if isinstance(item, Mapping) and item.get("file_id"):
            return (
                InboundMedia(
                    kind=kind,
                    url=FILE_URL.format(file_id=item["file_id"]),
                    description=str(item.get("emoji") or ""),
                    mime=str(item.get("mime_type") or ("image/jpeg" if field == "photo" else "")),
                ),
            )
    return ()


def _names_bot(message: Mapping[str, Any], bot_username: str) -> bool:
    if not bot_username:
        return False
    text = message.get("text") or message.get("caption") or ""
    return f"@{bot_username}".casefold() in text.casefold()


def _kind(message: Mapping[str, Any], bot_id: str, bot_username: str) -> MessageKind | None:
    chat_type = (message.get("chat") or {}).get("type")
    if chat_type == "private":
        return MessageKind.DIRECT
    if chat_type == "channel":
        return None
    answered = message.get("reply_to_message") or {}
    if str((answered.get("from") or {}).get("id") or "") == bot_id:
        return MessageKind.REPLY
    if _names_bot(message, bot_username):
        return MessageKind.MENTION
    return None


def parse_message(
    message: Mapping[str, Any], bot_id: str, bot_username: str = "", *, edited: bool = False
) -> InboundMessage | None:
    """One ``Message``, or None when it is not addressed to the organisation (ours, a
    channel post, group chatter that neither answers nor names the bot, a service message)."""
    author = message.get("from") or {}
    if str(author.get("id") or "") == bot_id or author.get("is_bot"):
        return None
    kind = _kind(message, bot_id, bot_username)
    if kind is None:
        return None
    text = message.get("text") or message.get("caption") or ""
    media = _media(message)
    if not text and not media:
        # Joins, pins, polls, locations...: nothing to answer in the inbox.
        return None
    chat = message.get("chat") or {}
    chat_id = chat.get("id")
    answered = message.get("reply_to_message") or {}
    name = " ".join(part for part in (author.get("first_name"), author.get("last_name")) if part)
    username = author.get("username")
    # Only groups and channels with a public name have links; a private chat's username is the person's.
    public_chat = chat.get("username") if chat.get("type") != "private" else None
    return InboundMessage(
        remote_id=message_id(chat_id, message.get("message_id")),
        kind=kind,
        author_id=str(author.get("id") or ""),
        author_handle=f"@{username}" if username else name,
        author_name=name,
        text=text,
        created_at=_time(message.get("date")),
        language=str(author.get("language_code") or ""),
        url=f"https://t.me/{public_chat}/{message.get('message_id')}" if public_chat else "",
        in_reply_to=message_id(chat_id, answered["message_id"]) if answered.get("message_id") else None,
        conversation=str(chat_id if chat_id is not None else ""),
        media=media,
        edited_at=_time(message.get("edit_date")) if edited else None,
    )


def parse_update(update: Mapping[str, Any], bot_id: str, bot_username: str = "") -> InboundMessage | None:
    """One ``Update``, or None for kinds that are not a person's message (reactions, polls,
    member changes, callback queries...)."""
    for field in MESSAGE_FIELDS:
        message = update.get(field)
        if isinstance(message, Mapping):
            return parse_message(message, bot_id, bot_username, edited=field.startswith("edited_"))
    return None


def parse_updates(
    updates: Iterable[Mapping[str, Any]], bot_id: str, bot_username: str = ""
) -> list[InboundMessage]:
    """Messages among ``getUpdates``' result, oldest first."""
    ordered = sorted(updates, key=lambda item: item.get("update_id") or 0)
    found = (parse_update(update, bot_id, bot_username) for update in ordered)
    return [message for message in found if message is not None]


def next_offset(updates: Iterable[Mapping[str, Any]], cursor: str | None) -> str | None:
    """The ``offset`` for the next ``getUpdates``: one past the highest update seen. Asking
    with it also tells Telegram to forget the earlier updates."""
    ids = [item["update_id"] for item in updates if isinstance(item.get("update_id"), int)]
    if not ids:
        return cursor
    return str(max(ids) + 1)
