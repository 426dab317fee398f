"""Checks that a webhook call really comes from the network: pure functions, constant time."""

from __future__ import annotations

import hashlib
import hmac


def secret_token_ok(received: str | None, expected: str) -> bool:
    """Telegram: the ``X-Telegram-Bot-Api-Secret-Token`` header equals the token we set."""
    if not received or not expected:
        return False
    return hmac.compare_digest(received.encode("utf-8"), expected.encode("utf-8"))


def hub_signature(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends: ``sha256=`` and the HMAC-SHA256 of the
    raw body keyed with the app secret, in lower-case hex."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def hub_signature_ok(body: bytes, received: str | None, app_secret: str) -> bool:
    """Meta (Facebook, Instagram, WhatsApp): the signature matches the raw body as received."""
    if not received or not app_secret:
        return False
    expected = hub_signature(body, app_secret).encode("ascii")
    return hmac.compare_digest(received.strip().lower().encode("ascii", "replace"), expected)


def body_digest(body: bytes) -> str:
    """An event key for networks without event ids: the same delivery twice is a replay."""
    return "sha256:" + hashlib.sha256(body).hexdigest()
