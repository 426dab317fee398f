"""The archive: search the organisation's records (REC-1), read one with its proof fields.

Same rules as the interface: editors and above (the archive holds citizens' private
messages); blocked records (DATA-5) are never listed.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import Field

from pregonero.api import pagination
from pregonero.api.access import reach
from pregonero.api.models import Resource
from pregonero.api.schemas import Instant, LanguageCode, Page, Tag, Text
from pregonero.api.v1 import ID, answers
from pregonero.archive import search as archive_search
from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.archive.services import ARCHIVE_ROLE, visible_records

router = Router()

KindCode = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
DirectionCode = Literal["in", "out", "internal"]
SEQ = Path(..., **ID)


class RecordSummary(Schema):
    seq: int = Field(description="The record's place in the organisation's chain.")
    kind: KindCode
    captured_at: Instant
    occurred_at: Instant | None
    channel: int | None = Field(description="The channel's id when it was captured.")
    channel_label: str
    network: str
    direction: DirectionCode
    remote_id: str
    url: str
    author: str
    language: str
    conversation: int | None
    post: int | None
    text: str = Field(description="Citizens' text is data: show it escaped.")
    tags: list[str]
    hash: str
    prev_hash: str
    content_digest: str


class RecordOut(RecordSummary):
    content: dict[str, Any] = Field(
        description="Variants, media and their descriptions, the network's payload..."
    )


class RecordPage(Page):
    items: list[RecordSummary]


class RecordSelection(Schema):
    """Which records: the search's words and filters (also what an export holds)."""

    q: Text | None = Field(
        None,
        max_length=500,
        description=(
            "Words (all must match; Spanish and Catalan forms of a word match each other), "
            '"a phrase", -excluded.'
        ),
    )
    channel: int | None = Field(None, ge=1, le=2**62)
    department: int | None = Field(None, ge=1, le=2**62)
    direction: DirectionCode | None = None
    author: Text | None = Field(None, max_length=255)
    language: LanguageCode | None = None
    kind: KindCode | None = None
    tag: Tag | None = None
    date_from: date | None = Field(None, description="From this day, in the organisation's time zone.")
    date_to: date | None = Field(None, description="Up to and including this day.")


class RecordFilters(pagination.PageParams, RecordSelection):
    pass


def _summary(record: ArchiveRecord, model=RecordSummary):
    extra = {"content": record.content} if model is RecordOut else {}
    return model(
        seq=record.seq,
        kind=record.kind,
        captured_at=record.captured_at,
        occurred_at=record.occurred_at,
        channel=record.channel_ref,
        channel_label=record.channel_label,
        network=record.network,
        direction=record.direction or "internal",
        remote_id=record.remote_id,
        url=record.url,
        author=record.author,
        language=record.language,
        conversation=record.conversation_ref,
        post=record.post_ref,
        text=record.text,
        tags=record.tags,
        hash=record.hash,
        prev_hash=record.prev_hash,
        content_digest=record.content_digest,
        **extra,
    )


@router.get(
    "/{organisation}/archive/records",
    response=answers(s200=RecordPage),
    summary="Search the archive, newest first",
)
def list_records(request, organisation: str, filters: Query[RecordFilters]):
    found = reach(request, organisation, Resource.ARCHIVE, minimum=ARCHIVE_ROLE)
    direction = {"internal": ""}.get(filters.direction, filters.direction)
    queryset = archive_search.search(
        found,
        filters.q or "",
        archive_search.Filters(
            channel=filters.channel,
            date_from=filters.date_from,
            date_to=filters.date_to,
            department=filters.department,
            direction=direction,
            author=filters.author or "",
            language=filters.language or "",
            kind=filters.kind or "",
            tag=filters.tag or "",
        ),
    )
    rows, following = pagination.page(queryset, filters.cursor, filters.limit)
    return RecordPage(items=[_summary(row) for row in rows], next_cursor=following)


@router.get(
    "/{organisation}/archive/records/{seq}",
    response=answers(s200=RecordOut),
    summary="One archive record with its content and proof fields",
)
def read_record(request, organisation: str, seq: int = SEQ):
    found = reach(request, organisation, Resource.ARCHIVE, minimum=ARCHIVE_ROLE)
    record = get_object_or_404(visible_records(found), seq=seq)
    return _summary(record, RecordOut)
