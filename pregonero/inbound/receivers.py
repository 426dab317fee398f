"""What each network's webhook calls look like: how they are verified, what identifies an
event (to refuse replays), which headers are worth keeping, and which parser reads them.

Verification uses only the raw body and headers, before anything is parsed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pregonero.channels.connectors.inbound import InboundMessage
from pregonero.channels.connectors.meta import parse as meta
from pregonero.channels.connectors.telegram import parse as telegram
from pregonero.channels.connectors.whatsapp import parse as whatsapp
from pregonero.channels.models import Channel
from pregonero.inbound import signatures

# Bigger calls are refused unread: no network sends anything close for one event batch.
MAX_BODY = 1024 * 1024
# Meta retries a failed delivery for up to 36 hours; anything older than this is a replay.
META_REPLAY_WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class Receiver:
    network: str
    # Which channels (by connector key) may receive on this network's address.
    connectors: frozenset[str]
    # Returns None when the call is genuine, else the reason it is not.
    verify: Callable[[bytes, Mapping[str, str], Channel, str], str | None]
    # The network's id for the event, or None to use a digest of the body.
    event_key: Callable[[Any], str | None]
    parse: Callable[[Any, Channel], list[InboundMessage]]
    # Headers kept with the raw event (never one that carries a secret).
    keep_headers: tuple[str, ...] = ("Content-Type", "Content-Length", "User-Agent")
    # Meta's subscription handshake (GET with hub.challenge).
    handshake: bool = False
    # The oldest event time (epoch seconds) in the payload, for networks that send one.
    oldest_time: Callable[[Any], float | None] = lambda payload: None


def _telegram_verify(
    body: bytes, headers: Mapping[str, str], channel: Channel, endpoint_secret: str
) -> str | None:
    received = headers.get("X-Telegram-Bot-Api-Secret-Token")
    if not received:
        return "unsigned"
    return None if signatures.secret_token_ok(received, endpoint_secret) else "bad signature"


def _telegram_key(payload: Any) -> str | None:
    update_id = payload.get("update_id") if isinstance(payload, dict) else None
    return f"update:{update_id}" if isinstance(update_id, int) else None


def _telegram_parse(payload: Any, channel: Channel) -> list[InboundMessage]:
    config = channel.config
    found = telegram.parse_update(payload, config.get("bot_id", ""), config.get("bot_username", ""))
    return [found] if found else []


def meta_verify(
    body: bytes, headers: Mapping[str, str], channel: Channel, endpoint_secret: str
) -> str | None:
    """Facebook, Instagram and WhatsApp sign the raw body with the Meta app's secret."""
    received = headers.get("X-Hub-Signature-256")
    if not received:
        return "unsigned"
    app_secret = channel.secret_values().get("app_secret", "")
    return None if signatures.hub_signature_ok(body, received, app_secret) else "bad signature"


def meta_oldest_time(payload: Any) -> float | None:
    """Meta's ``entry[].time``: seconds, or milliseconds on some products."""
    times = []
    for entry in payload.get("entry") or () if isinstance(payload, dict) else ():
        stamp = entry.get("time") if isinstance(entry, dict) else None
        if isinstance(stamp, int | float):
            times.append(stamp / 1000 if stamp > 10**11 else stamp)
    return min(times, default=None)


def _facebook_parse(payload: Any, channel: Channel) -> list[InboundMessage]:
    return meta.parse_webhook(payload, channel.config.get("page_id", ""))


def _instagram_parse(payload: Any, channel: Channel) -> list[InboundMessage]:
    return meta.parse_webhook(payload, channel.config.get("ig_id", ""))


def _whatsapp_parse(payload: Any, channel: Channel) -> list[InboundMessage]:
    return whatsapp.parse_webhook(payload, channel.config.get("phone_number_id", ""))


META_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Hub-Signature-256")

RECEIVERS: dict[str, Receiver] = {
    "telegram": Receiver(
        network="telegram",
        connectors=frozenset({"telegram"}),
        verify=_telegram_verify,
        event_key=_telegram_key,
        parse=_telegram_parse,
    ),
    "facebook": Receiver(
        network="facebook",
        connectors=frozenset({"facebook"}),
        verify=meta_verify,
        event_key=lambda payload: None,
        parse=_facebook_parse,
        keep_headers=META_HEADERS,
        handshake=True,
        oldest_time=meta_oldest_time,
    ),
    "instagram": Receiver(
        network="instagram",
        connectors=frozenset({"instagram"}),
        verify=meta_verify,
        event_key=lambda payload: None,
        parse=_instagram_parse,
        keep_headers=META_HEADERS,
        handshake=True,
        oldest_time=meta_oldest_time,
    ),
    "whatsapp": Receiver(
        network="whatsapp",
        connectors=frozenset({"whatsapp"}),
        verify=meta_verify,
        event_key=lambda payload: None,
        parse=_whatsapp_parse,
        keep_headers=META_HEADERS,
        handshake=True,
    ),
}


def decode(body: bytes) -> Any:
    """The JSON of a call, or ValueError."""
    return json.loads(body.decode("utf-8"))
