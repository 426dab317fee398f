"""Turning a wall-clock time in an organisation's time zone into a UTC instant, honestly.

On the day clocks go forward some local times never happen (Europe/Madrid, last Sunday of
March: 02:00-02:59); on the day they go back some happen twice (last Sunday of October:
02:00-02:59). Neither is guessed: a missing time is refused with the next time that exists,
a repeated one must be chosen with ``fold`` (0 = the first, still summer time; 1 = the second).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NonexistentLocalTime(ValidationError):
    """The time falls in the gap when clocks go forward. ``suggestion`` is the next valid local time."""

    def __init__(self, message: str, suggestion: datetime):
        super().__init__(message, code="nonexistent")
        self.suggestion = suggestion


class AmbiguousLocalTime(ValidationError):
    """The time happens twice. ``choices`` holds both aware datetimes, fold 0 first."""

    def __init__(self, message: str, choices: tuple[datetime, datetime]):
        super().__init__(message, code="ambiguous")
        self.choices = choices


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def next_valid(naive: datetime, zone: ZoneInfo) -> datetime:
    """The first whole minute after ``naive`` that exists in ``zone`` (the end of the gap)."""
    candidate = naive.replace(second=0, microsecond=0)
    # Gaps are at most a few hours anywhere; minute steps keep it obviously right.
    while not _exists(candidate, zone):
        candidate += timedelta(minutes=1)
    return candidate.replace(tzinfo=zone)


def to_utc(naive: datetime, zone: ZoneInfo, fold: int | None = None) -> datetime:
    """The UTC instant of the local wall time ``naive`` in ``zone``.

    Raises :class:`NonexistentLocalTime` for a time in a spring-forward gap and
    :class:`AmbiguousLocalTime` for a repeated time when ``fold`` is None.
    """
    if naive.tzinfo is not None:
        raise ValueError("Expected a naive local time.")
    if not _exists(naive, zone):
        suggestion = next_valid(naive, zone)
        raise NonexistentLocalTime(
            _(
                "%(time)s does not exist in %(zone)s that day: the clocks go forward. "
                "The next valid time is %(suggestion)s."
            )
            % {
                "time": naive.strftime("%H:%M"),
                "zone": zone.key,
                "suggestion": suggestion.strftime("%H:%M"),
            },
            suggestion,
        )
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            raise AmbiguousLocalTime(
                _("%(time)s happens twice in %(zone)s that day: the clocks go back. Choose which one.")
                % {"time": naive.strftime("%H:%M"), "zone": zone.key},
                (first, second),
            )
        return (second if fold else first).astimezone(UTC)
    return first.astimezone(UTC)
