"""What the inbox list shows: the filters people choose, one page of conversations with the
overdue ones on top, a version of that page for live updates, and the team's due work.

Filters arrive as a query string (the list's own form, or a saved view's stored query), so a
saved view, a link from the team view and the live updates all filter the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast

from pregonero.inbox.models import FINISHED_STATES, Conversation, Message

PAGE_SIZE = 50
# Counting stops here: an exact count of hundreds of thousands of conversations on every load
# and every live poll costs a full scan; "more than 10,000" says as much to a person.
COUNT_CAP = 10_000


def capped_count(queryset: QuerySet) -> int:
    """How many rows, up to ``COUNT_CAP + 1`` (a count over ``LIMIT``, so it can stop early)."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def overdue_q(now: datetime) -> Q:
    return Q(due_at__lt=now) & ~Q(state__in=FINISHED_STATES)


def _due_window(organisation, now: datetime, which: str) -> tuple[datetime, datetime]:
    """From now to the end of today, or of this week (Sunday), in the organisation's time zone."""
    local = now.astimezone(ZoneInfo(organisation.time_zone))
    days = 1 if which == "today" else 7 - local.weekday()
    end = (local + timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    return now, end


def _with_tag(queryset: QuerySet, tag: str) -> QuerySet:
    if connection.features.supports_json_field_contains:
        return queryset.filter(tags__contains=[tag])
    # SQLite stores the list as JSON text; a quoted tag only matches a whole element.
    text = queryset.annotate(tags_text=Cast("tags", TextField()))
    return text.filter(
        Q(tags_text__contains=json.dumps(tag)) | Q(tags_text__contains=json.dumps(tag, ensure_ascii=False))
    )


def filtered(queryset: QuerySet, data: dict | None, *, person, organisation, now: datetime) -> QuerySet:
    """``queryset`` narrowed by a FilterForm's ``cleaned_data`` (None: the open conversations)."""
    if data is None:
        return queryset.exclude(state__in=FINISHED_STATES)
    if data["state"] == "":
        queryset = queryset.exclude(state__in=FINISHED_STATES)
    elif data["state"] != "all":
        queryset = queryset.filter(state=data["state"])
    for name in ("channel", "department", "language", "kind"):
        if data.get(name):
            queryset = queryset.filter(**{name: data[name]})
    assignee = data["assignee"]
    if assignee == "me":
        queryset = queryset.filter(assignee=person)
    elif assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee:
        queryset = queryset.filter(assignee_id=assignee)
    if data["overdue"]:
        queryset = queryset.filter(overdue_q(now))
    if data.get("due"):
        start, end = _due_window(organisation, now, data["due"])
        queryset = queryset.filter(due_at__gte=start, due_at__lt=end).exclude(state__in=FINISHED_STATES)
    tag = (data.get("tag") or "").strip()
    if tag:
        queryset = _with_tag(queryset, tag)
    text = (data.get("q") or "").strip()
    if text:
        # An uncorrelated IN runs once (through the trigram index on PostgreSQL, migration
        # 0006) instead of once per conversation as a correlated EXISTS would.
        in_messages = Message.objects.filter(text__icontains=text).values("conversation_id")
        queryset = queryset.filter(
            Q(citizen_handle__icontains=text) | Q(citizen_name__icontains=text) | Q(pk__in=in_messages)
        )
    return queryset


@dataclass
class Page:
    rows: list[Conversation]
    total: int
    number: int
    pages: int
    # True when there are more than ``total`` (counting stopped at COUNT_CAP).
    more: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_of(queryset: QuerySet, now: datetime, number: int, size: int = PAGE_SIZE) -> Page:
    """One page, overdue conversations first (most overdue first), then by latest message.

    Two plain ordered queries instead of one ordered by a computed "overdue" column: each
    can walk an index ((organisation, state, due_at) and (organisation, last_message_at))
    instead of sorting every conversation of the organisation.
    """
    late = queryset.filter(overdue_q(now))
    rest = queryset.exclude(overdue_q(now))
    late_count = capped_count(late)
    rest_count = capped_count(rest)
    more = late_count > COUNT_CAP or rest_count > COUNT_CAP
    total = min(late_count + rest_count, COUNT_CAP)
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    start, stop = (number - 1) * size, number * size
    related = ("channel", "assignee", "department")
    rows: list[Conversation] = []
    if start < late_count:
        rows = list(late.select_related(*related).order_by("due_at", "-last_message_at")[start:stop])
        for row in rows:
            row.overdue = True
    if len(rows) < size:
        begin = max(0, start - late_count)
        more = rest.select_related(*related).order_by("-last_message_at", "-pk")[
            begin : begin + size - len(rows)
        ]
        for row in more:
            row.overdue = False
            rows.append(row)
    return Page(rows=rows, total=total, number=number, pages=pages, more=more)


def version(page: Page) -> str:
    """A digest of what the page shows: changes when a row arrives, moves or changes."""
    digest = hashlib.sha256(str(page.total).encode())
    for row in page.rows:
        digest.update(
            f"|{row.pk},{row.state},{row.priority},{row.assignee_id},{row.department_id},"
            f"{row.due_at},{row.last_message_at},{row.overdue}".encode()
        )
    return digest.hexdigest()[:32]


@dataclass
class Due:
    """What is due for one person or department; ``key`` is the list filter it links to."""

    label: str
    key: dict | None
    overdue: int = 0
    today: int = 0
    week: int = 0
    unassigned: int = 0


def team_due(visible: QuerySet, organisation, now: datetime) -> tuple[list[Due], list[Due]]:
    """Open conversations overdue, due today and due this week, per assignee and per department
    (with the unassigned ones per department): two grouped queries."""
    today_end = _due_window(organisation, now, "today")[1]
    week_end = _due_window(organisation, now, "week")[1]
    open_ones = visible.exclude(state__in=FINISHED_STATES)
    counts = {
        "overdue": Count("pk", filter=Q(due_at__lt=now)),
        "today": Count("pk", filter=Q(due_at__gte=now, due_at__lt=today_end)),
        "week": Count("pk", filter=Q(due_at__gte=now, due_at__lt=week_end)),
        "unassigned": Count("pk", filter=Q(assignee__isnull=True)),
    }
    people = [
        Due(
            label=row["assignee__full_name"] or row["assignee__email"] if row["assignee"] else "",
            key={"assignee": str(row["assignee"]) if row["assignee"] else "none"},
            overdue=row["overdue"],
            today=row["today"],
            week=row["week"],
        )
        for row in open_ones.values("assignee", "assignee__full_name", "assignee__email")
        .annotate(**counts)
        .order_by("assignee__full_name", "assignee")
    ]
    departments = [
        Due(
            label=row["department__name"] or "",
            key={"department": str(row["department"])} if row["department"] else None,
            overdue=row["overdue"],
            today=row["today"],
            week=row["week"],
            unassigned=row["unassigned"],
        )
        for row in open_ones.values("department", "department__name")
        .annotate(**counts)
        .order_by("department__name")
    ]
    return people, departments
