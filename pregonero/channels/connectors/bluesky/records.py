"""Bluesky records built from Pregonero's parts: pure functions, no I/O.

The record key is chosen by Pregonero: a TID (the AT Protocol's timestamp identifier, 13
characters of base32-sortable) derived from the part's idempotency key and the publication's
creation time. A retried call therefore writes to the same key and cannot make a second post.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

POST = "app.bsky.feed.post"
_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# Keys without a known creation time land in 2024, in a year-long window given by the hash.
_FALLBACK_START = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
_YEAR_MICROS = 366 * 24 * 3600 * 1_000_000


def tid(micros: int, clock_id: int) -> str:
    """The TID of a moment in microseconds since the epoch and a 10-bit clock id."""
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def record_key(idempotency_key: str, created_at: datetime | None) -> str:
    """The record key of a part: the same key always gives the same TID.

    ``idempotency_key`` is ``<publication key>-<part index>``; parts of one publication get
    consecutive microseconds, so a thread's keys sort in order.
    """
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    index = idempotency_key.rsplit("-", 1)[-1]
    offset = int(index) if index.isdigit() else 0
    if created_at is not None:
        micros = int(created_at.timestamp() * 1_000_000) + offset
    else:
        micros = _FALLBACK_START + (digest >> 10) % _YEAR_MICROS
    return tid(micros, digest)


BLOCK = "app.bsky.graph.block"


def block_record(subject_did: str, created_at: datetime) -> dict:
    """A block of the account ``subject_did`` (app.bsky.graph.block): public, like every record."""
    return {
        "$type": BLOCK,
        "subject": subject_did,
        "createdAt": created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }


def rkey_of(uri: str) -> str:
    """The record key at the end of an ``at://did/collection/rkey`` URI."""
    return uri.rsplit("/", 1)[-1]


def post_record(
    text: str,
    *,
    created_at: datetime,
    language: str = "",
    facets: list[dict] | None = None,
    images: list[tuple[dict, str]] | None = None,
    reply: dict | None = None,
) -> dict:
    """An ``app.bsky.feed.post`` record. ``images`` are (blob, alt text) pairs; ``reply`` has
    ``root`` and ``parent`` strong references (``{"uri", "cid"}``)."""
    record: dict = {
        "$type": POST,
        "text": text,
        "createdAt": created_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if language:
        record["langs"] = [language]
    if facets:
        record["facets"] = facets
    if images:
        record["embed"] = {
            "$type": "app.bsky.embed.images",
            "images": [{"alt": alt, "image": blob} for blob, alt in images],
        }
    if reply:
        record["reply"] = reply
    return record


def reply_refs(parent: dict) -> dict:
    """``root`` and ``parent`` for a reply to ``parent`` (a ``getRecord`` answer): the root is
    the parent's own root when the parent is itself a reply."""
    strong = {"uri": parent["uri"], "cid": parent["cid"]}
    root = ((parent.get("value") or {}).get("reply") or {}).get("root") or strong
    return {"root": root, "parent": strong}
