"""Pure hashing of audit entries: canonical form, entry hash, chain verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
HASHED_FIELDS = (
    "chain",
    "seq",
    "at",
    "organisation_id",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "changes",
    "details",
    "prev_hash",
)


def canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: Mapping) -> bytes:
    """The exact bytes hashed for one entry: sorted-key JSON of the hashed fields."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    document["at"] = canonical_time(document["at"])
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(fields: Mapping) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int
    entry_id: int | None
    reason: str


def verify_chain(
    chain: str,
    entries: Iterable[Mapping],
    head_seq: int | None,
    *,
    hasher: Callable[[Mapping], str] = entry_hash,
    inspect: Callable[[Mapping], str | None] | None = None,
) -> Break | None:
    """Check one chain, entries in ascending ``seq``; return the first broken link or None.

    ``head_seq`` is the chain head's record of the last sequence number, which reveals
    entries removed from the end of the chain. ``hasher`` computes an entry's hash (the
    archive hashes other fields than the audit log); ``inspect`` may report one more
    reason an entry is broken, e.g. content that no longer matches its digest.
    """
    expected_prev = GENESIS
    expected_seq = 1
    for fields in entries:
        if fields["seq"] != expected_seq:
            return Break(chain, expected_seq, None, "missing")
        if fields["prev_hash"] != expected_prev:
            return Break(chain, fields["seq"], fields.get("id"), "relinked")
        if hasher(fields) != fields["hash"]:
            return Break(chain, fields["seq"], fields.get("id"), "altered")
        reason = inspect(fields) if inspect is not None else None
        if reason:
            return Break(chain, fields["seq"], fields.get("id"), reason)
        expected_prev = fields["hash"]
        expected_seq += 1
    if head_seq is not None and head_seq >= expected_seq:
        return Break(chain, expected_seq, None, "missing")
    return None
