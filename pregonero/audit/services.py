"""Writing and verifying the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pregonero.accounts.models import Membership, Organisation
from pregonero.audit.chain import GENESIS, HASHED_FIELDS, Break, entry_hash, verify_chain
from pregonero.audit.models import AuditEntry, ChainHead, Outcome, chain_key

SYSTEM_ACTOR = "system"


def jsonable(value: Any) -> Any:
    """Reduce a value to JSON types whose round trip through any database is exact."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(item) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def client_details(request) -> dict[str, str]:
    if request is None:
        return {}
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    obj: models.Model | None = None,
    object_repr: str | None = None,
    outcome: str = Outcome.SUCCESS,
    changes: Mapping | None = None,
    details: Mapping | None = None,
    request=None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry to the organisation's chain (or the global chain) and return it.

    Runs inside the caller's transaction when there is one, so the entry is committed
    together with the change it describes, or not at all.
    """
    person = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (person.email if person else SYSTEM_ACTOR)
    organisation_id = organisation.pk if organisation is not None else None
    key = chain_key(organisation_id)
    with transaction.atomic():
        head = locked_head(key)
        fields = {
            "chain": key,
            "seq": head.last_seq + 1,
            "at": timezone.now(),
            "organisation_id": organisation_id,
            "actor_id": person.pk if person else None,
            "actor_label": label[:254],
            "action": action,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
            "object_repr": (object_repr if object_repr is not None else str(obj) if obj is not None else "")[
                :255
            ],
            "outcome": str(outcome),
            "changes": jsonable(dict(changes or {})),
            "details": jsonable({**client_details(request), **(details or {})}),
            "prev_hash": head.last_hash or GENESIS,
        }
        fields["hash"] = entry_hash(fields)
        entry = AuditEntry(**fields)
        entry.save()
        head.last_seq = fields["seq"]
        head.last_hash = fields["hash"]
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def locked_head(key: str) -> ChainHead:
    """The chain's head, locked until the caller's transaction ends; created on first use."""
    head = ChainHead.objects.select_for_update().filter(key=key).first()
    if head is None:
        ChainHead.objects.get_or_create(key=key)
        head = ChainHead.objects.select_for_update().get(key=key)
    return head


def diff(before: Mapping, after: Mapping) -> dict[str, list]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        name: [jsonable(before.get(name)), jsonable(after.get(name))]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: jsonable(getattr(obj, name)) for name in fields}


def visible_entries(organisation: Organisation) -> QuerySet[AuditEntry]:
    """The organisation's own chain and the person-level global entries of its members.

    Global entries (sign-ins, two-factor changes) have no organisation; they belong here
    when their actor is a member, or, for failed sign-ins with no actor, when the label
    is a member's e-mail address.
    """
    members = Membership.objects.filter(organisation=organisation)
    member_ids = members.values("person_id")
    member_emails = members.values("person__email")
    return AuditEntry.objects.filter(
        Q(organisation=organisation)
        | Q(organisation__isnull=True)
        & (Q(actor_id__in=member_ids) | Q(actor__isnull=True, actor_label__in=member_emails))
    )


@dataclass(frozen=True)
class VerifyReport:
    chains: int
    entries: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(key: str) -> Iterator[dict]:
    columns = ["id", "hash", *(name for name in HASHED_FIELDS)]
    yield from AuditEntry.objects.filter(chain=key).order_by("seq").values(*columns).iterator(chunk_size=2000)


def verify(chain: str | None = None) -> VerifyReport:
    """Verify every chain (or one) and report the first broken link found."""
    heads = dict(ChainHead.objects.values_list("key", "last_seq"))
    keys = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    if chain is not None:
        keys &= {chain}
    entries = 0
    for key in sorted(keys):
        counted = CountingIterator(_rows(key))
        broken = verify_chain(key, counted, heads.get(key))
        entries += counted.count
        if broken:
            return VerifyReport(len(keys), entries, broken)
    return VerifyReport(len(keys), entries, None)


class CountingIterator:
    def __init__(self, iterable):
        self._iterable = iterable
        self.count = 0

    def __iter__(self):
        for item in self._iterable:
            self.count += 1
            yield item
