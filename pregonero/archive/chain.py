"""Pure hashing of archive records; the procedure docs/archive-proof.md lets anyone repeat.

A record's ``content_digest`` is SHA-256 of the canonical JSON of ``{"text", "content"}``;
its ``hash`` is SHA-256 of the canonical JSON of the fields in ``HASHED_FIELDS``, which
include ``content_digest`` and ``prev_hash`` (the previous record's hash in the same
organisation, or 64 zeros for the first). Canonical JSON: keys sorted, no spaces, UTF-8,
times in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pregonero.audit.chain import GENESIS, canonical_time

__all__ = ["GENESIS", "HASHED_FIELDS", "canonical", "content_digest", "record_hash", "time_text"]

HASHED_FIELDS = (
    "organisation_id",
    "seq",
    "captured_at",
    "kind",
    "source_type",
    "source_id",
    "channel_ref",
    "channel_label",
    "network",
    "direction",
    "remote_id",
    "url",
    "occurred_at",
    "author",
    "language",
    "conversation_ref",
    "post_ref",
    "department_ref",
    "content_digest",
    "prev_hash",
)
TIME_FIELDS = ("captured_at", "occurred_at")


def time_text(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return canonical_time(value)


def _dumps(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def canonical(fields: Mapping) -> bytes:
    """The exact bytes a record's hash is computed over."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    for name in TIME_FIELDS:
        document[name] = time_text(document[name])
    return _dumps(document)


def record_hash(fields: Mapping) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def content_digest(text: str, content: Mapping) -> str:
    return hashlib.sha256(_dumps({"text": text, "content": content})).hexdigest()
