"""Cursor pagination: stable pages however many rows are added meanwhile.

A list is ordered by primary key (newest first unless said otherwise); the cursor is an
opaque string naming the last row of the page, so the next page starts right after it.
"""

from __future__ import annotations

import base64
import binascii

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from pregonero.api.problems import field_error

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams(Schema):
    cursor: str | None = Field(None, description="The next_cursor of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{pk}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        version, _sep, value = text.partition(":")
        if version != "v1":
            raise ValueError(version)
        pk = int(value)
        if pk < 0 or pk > 2**63:
            raise ValueError(value)
        return pk
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise field_error("cursor", _("This cursor is not valid; use the next_cursor of a page.")) from None


def page(
    queryset: QuerySet, cursor: str | None, limit: int, *, newest_first: bool = True
) -> tuple[list, str | None]:
    """One page of ``queryset`` after ``cursor`` and the cursor of the next page (None at the end)."""
    ordering = "-pk" if newest_first else "pk"
    queryset = queryset.order_by(ordering)
    if cursor:
        last = _decode(cursor)
        queryset = queryset.filter(pk__lt=last) if newest_first else queryset.filter(pk__gt=last)
    rows = list(queryset[: limit + 1])
    following = _encode(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], following
