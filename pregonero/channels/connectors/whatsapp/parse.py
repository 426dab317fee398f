"""WhatsApp Business Cloud API webhooks to Pregonero's objects, and the 24-hour rule: pure.

Shapes follow the Cloud API webhooks reference: ``{"object": "whatsapp_business_account",
"entry": [{"id": <WABA id>, "changes": [{"field": "messages", "value": {"metadata":
{"phone_number_id"}, "contacts": [{"wa_id", "profile": {"name"}}], "messages": [...],
"statuses": [...]}}]}]}``. Delivery statuses and reactions are not messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind

# A business may answer freely for 24 hours after the person's last message; after that only
# with an approved template (Meta's "customer service window").
SERVICE_WINDOW = timedelta(hours=24)
MEDIA_TYPES = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "voice": "audio",
    "document": "file",
    "sticker": "image",
}


def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Whether a free-form answer is allowed: the person wrote less than 24 hours ago."""
    return last_inbound_at is not None and now - last_inbound_at < SERVICE_WINDOW


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError):
        return None


def _text(message: Mapping[str, Any]) -> str:
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body") or "")
    if kind in MEDIA_TYPES:
        return str((message.get(kind) or {}).get("caption") or "")
    if kind == "button":
        return str((message.get("button") or {}).get("text") or "")
    if kind == "interactive":
        answer = message.get("interactive") or {}
        chosen = answer.get("button_reply") or answer.get("list_reply") or {}
        return str(chosen.get("title") or "")
    if kind == "location":
        place = message.get("location") or {}
        described = ", ".join(str(place[key]) for key in ("name", "address") if place.get(key))
        coordinates = f"{place.get('latitude')}, {place.get('longitude')}"
        return f"{described} ({coordinates})" if described else coordinates
    return ""


def _media(message: Mapping[str, Any]) -> tuple[InboundMedia, ...]:
    kind = message.get("type")
    item = message.get(kind) if kind in MEDIA_TYPES else None
    if not isinstance(item, Mapping) or not item.get("id"):
        return ()
    # The file is fetched later with GET /{media id}, which gives a short-lived address.
    return (
        InboundMedia(
            kind=MEDIA_TYPES[kind],
            url=f"wa-media:{item['id']}",
            description=str(item.get("filename") or ""),
            mime=str(item.get("mime_type") or ""),
        ),
    )


def parse_message(message: Mapping[str, Any], names: Mapping[str, str]) -> InboundMessage | None:
    kind = message.get("type")
    if kind in {"reaction", "system", "ephemeral"} or not message.get("id"):
        return None
    sender = str(message.get("from") or "")
    text, media = _text(message), _media(message)
    if not text and not media:
        # "unsupported" and "unknown" types (e.g. a deleted message, a poll) stay in the raw event.
        return None
    context = message.get("context") or {}
    return InboundMessage(
        remote_id=str(message["id"]),
        kind=MessageKind.DIRECT,
        author_id=sender,
        author_handle=f"+{sender}" if sender else "",
        author_name=names.get(sender, ""),
        text=text,
        created_at=_time(message.get("timestamp")),
        in_reply_to=str(context["id"]) if context.get("id") else None,
        conversation=sender,
        media=media,
    )


def parse_webhook(payload: Mapping[str, Any], phone_number_id: str) -> list[InboundMessage]:
    """Messages people sent to the number ``phone_number_id`` in one webhook call."""
    found: list[InboundMessage] = []
    for entry in payload.get("entry") or ():
        for change in (entry.get("changes") or ()) if isinstance(entry, Mapping) else ():
            value = change.get("value") or {}
            if change.get("field") != "messages":
                continue
            if str((value.get("metadata") or {}).get("phone_number_id") or "") != phone_number_id:
                continue
            names = {
                str(contact.get("wa_id")): str((contact.get("profile") or {}).get("name") or "")
                for contact in value.get("contacts") or ()
            }
            for message in value.get("messages") or ():
                parsed = parse_message(message, names) if isinstance(message, Mapping) else None
                if parsed is not None:
                    found.append(parsed)
    return found
