"""The calendar as iCalendar and CSV, for the posts the filters select.

The CSV uses the same column names as the import (:mod:`.importing`), so an exported
calendar can be edited in a spreadsheet and imported again as new drafts; cells a
spreadsheet would run as formulas are neutralised as in the audit export.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from pregonero.accounts.models import Organisation
from pregonero.agenda import ical
from pregonero.agenda.elections import ElectionBand
from pregonero.agenda.public_days import Holiday
from pregonero.audit.export import BYTE_ORDER_MARK, safe_cell
from pregonero.publishing.models import Post, PostState

# Scheduled and sent posts are firm; a planned draft may still change or never go out.
_CONFIRMED = {PostState.SCHEDULED, PostState.PUBLISHING, PostState.PUBLISHED, PostState.PARTLY_PUBLISHED}
_CANCELLED = {PostState.WITHDRAWN, PostState.FAILED}


def post_uid(post: Post, host: str) -> str:
    return f"post-{post.pk}@{host}"


def _status(post: Post) -> str:
    if post.state in _CONFIRMED:
        return "CONFIRMED"
    return "CANCELLED" if post.state in _CANCELLED else "TENTATIVE"


def post_event(post: Post, host: str, url: str) -> ical.Event:
    channels = ", ".join(channel.name for channel in post.channels.all())
    texts = "\n\n".join(f"[{text.language}] {text.body}" for text in post.texts.all())
    description = f"{post.get_state_display()} · {channels}\n\n{texts}".strip()
    return ical.Event(
        uid=post_uid(post, host),
        summary=post.title or next((text.body[:80] for text in post.texts.all()), f"#{post.pk}"),
        start=post.scheduled_at,
        description=description,
        url=url,
        categories=(str(post.get_category_display()), *post.tags),
        status=_status(post),
    )


def holiday_event(holiday: Holiday, organisation: Organisation, host: str) -> ical.Event:
    return ical.Event(
        uid=f"holiday-{holiday.scope}-{holiday.date:%Y%m%d}-{organisation.slug}@{host}",
        summary=f"{holiday.name} ({holiday.scope_label})",
        start=holiday.date,
        categories=(holiday.scope_label,),
        transparent=True,
    )


def election_event(band: ElectionBand, organisation: Organisation, host: str) -> ical.Event:
    return ical.Event(
        uid=f"election-{band.phase}-{band.start:%Y%m%d}-{organisation.slug}@{host}",
        summary=f"{band.label}: {band.election}",
        start=band.start,
        end=band.end,
        categories=(band.label,),
        transparent=True,
    )


def ics_document(
    organisation: Organisation,
    posts: Iterable[Post],
    holidays: Iterable[Holiday],
    bands: Iterable[ElectionBand],
    *,
    host: str,
    url_of: Callable[[Post], str],
    now: datetime,
) -> str:
    events = [post_event(post, host, url_of(post)) for post in posts]
    events += [holiday_event(holiday, organisation, host) for holiday in holidays]
    events += [election_event(band, organisation, host) for band in bands]
    return ical.calendar(organisation.name, events, now)


def csv_columns(organisation: Organisation) -> list[str]:
    texts = [f"text_{language}" for language in organisation.official_languages]
    return [
        "id",
        "date",
        "time",
        "utc_offset",
        "state",
        "category",
        "department",
        "channels",
        "tags",
        "title",
        *texts,
        "url",
    ]


def csv_row(post: Post, organisation: Organisation, url: str) -> list[str]:
    local = post.scheduled_at.astimezone(ZoneInfo(organisation.time_zone))
    offset = local.strftime("%z")
    texts = {text.language: text.body for text in post.texts.all()}
    cells = [
        str(post.pk),
        local.strftime("%Y-%m-%d"),
        local.strftime("%H:%M"),
        f"{offset[:3]}:{offset[3:]}",
        post.state,
        post.category,
        post.department.name if post.department_id else "",
        " | ".join(channel.name for channel in post.channels.all()),
        " | ".join(post.tags),
        post.title,
        *(texts.get(language, "") for language in organisation.official_languages),
        url,
    ]
    return [safe_cell(cell) for cell in cells]


class _Echo:
    """A file-like object whose ``write`` returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    organisation: Organisation, posts: Iterable[Post], *, url_of: Callable[[Post], str], delimiter: str = ","
) -> Iterator[str]:
    """A BOM so spreadsheet programs read UTF-8, the header, one row per post."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield BYTE_ORDER_MARK + writer.writerow(csv_columns(organisation))
    for post in posts:
        yield writer.writerow(csv_row(post, organisation, url_of(post)))
