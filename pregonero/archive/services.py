"""Writing, blocking, destroying and verifying archive records.

Every write goes through :func:`append`, inside the caller's transaction when there is one, so
a record is committed together with the event it describes (a publication marked sent, a
message stored) or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.archive.chain import GENESIS, HASHED_FIELDS, content_digest, record_hash
from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.archive.search_text import searchable
from pregonero.audit import services as audit
from pregonero.audit.chain import Break, verify_chain
from pregonero.audit.models import ChainHead

# Who may search and export the archive: it holds citizens' private messages (DATA-2).
ARCHIVE_ROLE = Role.EDITOR
# Who may block, destroy, hold and answer data-subject requests.
KEEPER_ROLE = Role.ADMIN
CHAIN_PREFIX = "archive:"


def chain_key(organisation_id: int) -> str:
    return f"{CHAIN_PREFIX}{organisation_id}"


def can_search(person: Person, organisation: Organisation) -> bool:
    role = effective_role(person, organisation)
    return role is not None and role.at_least(ARCHIVE_ROLE)


def can_keep(person: Person, organisation: Organisation) -> bool:
    role = effective_role(person, organisation)
    return role is not None and role.at_least(KEEPER_ROLE)


def _clean(value: Any) -> Any:
    """JSON-exact content; NUL characters dropped (PostgreSQL refuses them in text)."""
    value = audit.jsonable(value)
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key.replace("\x00", ""): _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def append(
    organisation: Organisation | int,
    kind: str,
    *,
    source: models.Model | tuple[str, Any],
    text: str = "",
    content: Mapping | None = None,
    channel=None,
    direction: str = "",
    remote_id: str = "",
    url: str = "",
    occurred_at: datetime | None = None,
    author: str = "",
    language: str = "",
    conversation_ref: int | None = None,
    post_ref: int | None = None,
    department_ref: int | None = None,
    tags: list[str] | None = None,
) -> ArchiveRecord:
    """Append one record to the organisation's chain and return it."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    if isinstance(source, models.Model):
        source_type, source_id = source._meta.label_lower, str(source.pk)
    else:
        source_type, source_id = source[0], str(source[1])
    text = _clean(text or "")
    content = _clean(dict(content or {}))
    with transaction.atomic():
        head = audit.locked_head(chain_key(organisation_id))
        fields = {
            "organisation_id": organisation_id,
            "seq": head.last_seq + 1,
            "captured_at": timezone.now(),
            "kind": str(kind),
            "source_type": source_type,
            "source_id": source_id,
            "channel_ref": channel.pk if channel is not None else None,
            "channel_label": str(channel)[:200] if channel is not None else "",
            "network": getattr(channel, "network", "") if channel is not None else "",
            "direction": str(direction),
            "remote_id": _clean(remote_id or "")[:500],
            "url": _clean(url or "")[:500],
            "occurred_at": occurred_at,
            "author": _clean(author or "")[:255],
            "language": language or "",
            "conversation_ref": conversation_ref,
            "post_ref": post_ref,
            "department_ref": department_ref,
            "content_digest": content_digest(text, content),
            "prev_hash": head.last_hash or GENESIS,
        }
        fields["hash"] = record_hash(fields)
        record = ArchiveRecord.objects.create(
            **fields,
            text=text,
            content=content,
            tags=list(tags or []),
            search_text=searchable(text, fields["author"], language),
        )
        head.last_seq = fields["seq"]
        head.last_hash = fields["hash"]
        head.save(update_fields=["last_seq", "last_hash"])
    return record


def visible_records(organisation: Organisation, *, include_blocked: bool = False) -> QuerySet[ArchiveRecord]:
    """The organisation's records; blocked ones (DATA-5) only when asked for explicitly."""
    queryset = ArchiveRecord.objects.filter(organisation=organisation)
    if not include_blocked:
        queryset = queryset.filter(blocked_at__isnull=True)
    return queryset


def block(record: ArchiveRecord, *, reason: str, actor: Person | None = None, request=None) -> bool:
    """Block a record (DATA-5): kept, but out of searches and exports. False if it already was."""
    with transaction.atomic():
        changed = ArchiveRecord.objects.filter(pk=record.pk, blocked_at__isnull=True).update(
            blocked_at=timezone.now(), blocked_reason=reason[:200]
        )
        if changed:
            audit.record(
                "archive.blocked",
                actor=actor,
                organisation=record.organisation,
                obj=record,
                details={"seq": record.seq, "reason": reason},
                request=request,
            )
    return bool(changed)


def unblock(record: ArchiveRecord, *, actor: Person, request=None) -> bool:
    with transaction.atomic():
        changed = ArchiveRecord.objects.filter(
            pk=record.pk, blocked_at__isnull=False, destroyed_at=None
        ).update(blocked_at=None, blocked_reason="")
        if changed:
            audit.record(
                "archive.unblocked",
                actor=actor,
                organisation=record.organisation,
                obj=record,
                request=request,
            )
    return bool(changed)


def destroy(
    record: ArchiveRecord, *, reason: str, actor: Person | None = None, request=None
) -> ArchiveRecord | None:
    """Erase a record's content for good, leaving its digest and a tombstone record that names it.

    Returns the tombstone, or None when the record was already destroyed.
    """
    with transaction.atomic():
        locked = ArchiveRecord.objects.select_for_update().get(pk=record.pk)
        if locked.destroyed_at is not None:
            return None
        now = timezone.now()
        ArchiveRecord.objects.filter(pk=locked.pk).update(
            text="",
            content={},
            search_text="",
            destroyed_at=now,
            blocked_at=locked.blocked_at or now,
            blocked_reason=locked.blocked_reason or reason[:200],
        )
        tombstone = append(
            locked.organisation_id,
            Kind.DESTROYED,
            source=("archive.record", locked.seq),
            content={
                "destroyed_seq": locked.seq,
                "destroyed_hash": locked.hash,
                "content_digest": locked.content_digest,
                "reason": reason,
            },
            channel=None,
            conversation_ref=locked.conversation_ref,
        )
        audit.record(
            "archive.destroyed",
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            details={"seq": locked.seq, "reason": reason, "tombstone": tombstone.seq},
            request=request,
        )
    return tombstone


@dataclass(frozen=True)
class VerifyReport:
    chains: int
    records: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


COLUMNS = ("id", "hash", "text", "content", "destroyed_at", *HASHED_FIELDS)


def rows(organisation_id: int) -> Iterator[dict]:
    """One chain's records in order, as the plain values the proof is computed over."""
    queryset = ArchiveRecord.objects.filter(organisation_id=organisation_id).order_by("seq")
    yield from queryset.values(*COLUMNS).iterator(chunk_size=2000)


def _content_state(
    fields: Mapping, destroyed: dict[int, int | None], tombstones: dict[int, str]
) -> str | None:
    if fields["destroyed_at"] is None:
        if content_digest(fields["text"], fields["content"]) != fields["content_digest"]:
            return "content"
        if fields["kind"] == Kind.DESTROYED:
            tombstones[fields["content"].get("destroyed_seq")] = fields["content"].get("content_digest", "")
        return None
    if fields["text"] or fields["content"]:
        return "content"
    destroyed[fields["seq"]] = fields["id"]
    return None


def verify(organisation_id: int | None = None) -> VerifyReport:
    """Check every organisation's chain (or one): links, hashes, content and tombstones."""
    heads = {
        int(key.removeprefix(CHAIN_PREFIX)): seq
        for key, seq in ChainHead.objects.filter(key__startswith=CHAIN_PREFIX).values_list("key", "last_seq")
    }
    ids = set(heads) | set(ArchiveRecord.objects.values_list("organisation_id", flat=True).distinct())
    if organisation_id is not None:
        ids &= {organisation_id}
    total = 0
    for org_id in sorted(ids):
        destroyed: dict[int, int | None] = {}
        tombstones: dict[int, str] = {}
        counted = audit.CountingIterator(rows(org_id))
        broken = verify_chain(
            chain_key(org_id),
            counted,
            heads.get(org_id),
            hasher=record_hash,
            inspect=lambda fields, d=destroyed, t=tombstones: _content_state(fields, d, t),
        )
        total += counted.count
        if broken is None:
            for seq, record_id in sorted(destroyed.items()):
                if seq not in tombstones:
                    broken = Break(chain_key(org_id), seq, record_id, "untombstoned")
                    break
        if broken:
            return VerifyReport(len(ids), total, broken)
    return VerifyReport(len(ids), total, None)
