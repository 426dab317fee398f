"""A small iCalendar (RFC 5545) writer for the calendar export: posts, holidays, elections.

Only what the export needs: VEVENTs with UTC times (``...Z``, so no VTIMEZONE is needed) or
whole days, TEXT values escaped (3.3.11), lines folded at 75 octets without splitting a
UTF-8 sequence (3.1), CRLF line ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

LINE_OCTETS = 75
CRLF = "\r\n"


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets; continuations begin with a space."""
    pieces, current, size = [], [], 0
    for character in line:
        octets = len(character.encode("utf-8"))
        # The first line may hold 75 octets; later ones 74 plus the leading space.
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if size + octets > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(character)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc_stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def day_stamp(day: date) -> str:
    return day.strftime("%Y%m%d")


@dataclass(frozen=True, slots=True)
class Event:
    """One VEVENT: at an instant (``start`` a datetime) or over whole days (``start`` a date,
    ``end`` the last day, inclusive)."""

    uid: str
    summary: str
    start: datetime | date
    end: date | None = None
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    status: str = ""
    # Days off and election phases do not make anyone busy.
    transparent: bool = False


def _event_lines(event: Event, stamp: str) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{escape_text(event.uid)}"
    yield f"DTSTAMP:{stamp}"
    if isinstance(event.start, datetime):
        yield f"DTSTART:{utc_stamp(event.start)}"
    else:
        last = event.end or event.start
        yield f"DTSTART;VALUE=DATE:{day_stamp(event.start)}"
        # DTEND of whole days is exclusive: the day after the last one.
        yield f"DTEND;VALUE=DATE:{day_stamp(last + timedelta(days=1))}"
    yield f"SUMMARY:{escape_text(event.summary)}"
    if event.description:
        yield f"DESCRIPTION:{escape_text(event.description)}"
    if event.categories:
        yield "CATEGORIES:" + ",".join(escape_text(category) for category in event.categories)
    if event.status:
        yield f"STATUS:{event.status}"
    if event.url:
        yield f"URL:{event.url}"
    if event.transparent:
        yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def calendar(name: str, events: Iterable[Event], now: datetime) -> str:
    """The whole VCALENDAR as text, CRLF line ends, every line folded."""
    stamp = utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pregonero//Editorial calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
