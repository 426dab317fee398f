"""The iCalendar writer: escaping, folding at 75 octets, UTC times, whole days."""

from datetime import UTC, date, datetime

import icalendar

from pregonero.agenda import ical

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_text_values_escape_backslash_semicolon_comma_and_line_breaks():
    assert ical.escape_text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Festa de la Mercè · " * 20
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == line


def test_a_short_line_is_left_alone():
    assert ical.fold("VERSION:2.0") == "VERSION:2.0"


def test_a_calendar_reads_back_with_the_same_values():
    event = ical.Event(
        uid="post-7@example.org",
        summary="Concierto; plaza, 20 h",
        start=datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        description="Línea uno\nLínea dos con \\ barra",
        url="https://example.org/o/x/posts/7/",
        categories=("Agenda / event", "fiestas, 2027"),
        status="CONFIRMED",
    )
    holiday = ical.Event(
        uid="holiday-1@example.org", summary="Sant Josep", start=date(2027, 3, 19), transparent=True
    )
    text = ical.calendar("Ajuntament", [event, holiday], NOW)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20270328T013000Z" in text
    parsed = icalendar.Calendar.from_ical(text)
    first, second = parsed.walk("VEVENT")
    assert str(first["SUMMARY"]) == "Concierto; plaza, 20 h"
    assert str(first["DESCRIPTION"]) == "Línea uno\nLínea dos con \\ barra"
    assert first.decoded("DTSTART") == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert list(first["CATEGORIES"].cats) == ["Agenda / event", "fiestas, 2027"]
    assert second.decoded("DTSTART") == date(2027, 3, 19)
    assert second.decoded("DTEND") == date(2027, 3, 20)
