"""The audit log (read, for approver and admin tokens: RULES.md GOV-3)."""

from __future__ import annotations

from ninja import Query, Router
from pydantic import Field

from pregonero.accounts.roles import Role
from pregonero.api import pagination
from pregonero.api.access import reach
from pregonero.api.models import Resource
from pregonero.api.schemas import AuditEntryOut, AuditPage, Instant, Text
from pregonero.api.v1 import answers
from pregonero.audit.services import visible_entries

router = Router()
AUDITOR_MINIMUM = Role.APPROVER


class AuditFilters(pagination.PageParams):
    action: Text | None = Field(None, max_length=60, description="An action code, e.g. post.approved.")
    object_type: Text | None = Field(None, max_length=60, description="e.g. publishing.post")
    object_id: Text | None = Field(None, max_length=64)
    since: Instant | None = Field(None, description="Entries at or after this time.")
    until: Instant | None = Field(None, description="Entries before this time.")


@router.get(
    "/{organisation}/audit-entries", response=answers(s200=AuditPage), summary="Audit entries, newest first"
)
def list_entries(request, organisation: str, filters: Query[AuditFilters]):
    found = reach(request, organisation, Resource.AUDIT, minimum=AUDITOR_MINIMUM)
    queryset = visible_entries(found)
    for name in ("action", "object_type", "object_id"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    if filters.since:
        queryset = queryset.filter(at__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(at__lt=filters.until)
    rows, following = pagination.page(queryset, filters.cursor, filters.limit)
    return AuditPage(
        items=[
            AuditEntryOut(
                id=row.pk,
                seq=row.seq,
                at=row.at,
                actor=row.actor_label,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                object_repr=row.object_repr,
                outcome=row.outcome,
                changes=row.changes,
                details=row.details,
                hash=row.hash,
                prev_hash=row.prev_hash,
            )
            for row in rows
        ],
        next_cursor=following,
    )
