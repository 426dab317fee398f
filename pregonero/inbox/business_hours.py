"""Response clocks counted in business hours (RULES.md MOD-2). Pure: no database.

Working hours are wall-clock times in the organisation's time zone, so a DST change moves the
instants, not the hours people work: 08:00-15:00 is seven hours on the day the clocks change
too. Days off are the weekdays outside ``working_days`` and the dates in ``holidays``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough to cover any target; a target that does not fit is a configuration error.
_MAX_DAYS = 400


@dataclass(frozen=True)
class WorkingHours:
    zone: ZoneInfo
    opens_at: time
    closes_at: time
    working_days: frozenset[int]
    holidays: frozenset[date] = frozenset()

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working interval of ``day`` as aware instants, or None on a day off."""
        if day.weekday() not in self.working_days or day in self.holidays:
            return None
        start = datetime.combine(day, self.opens_at, self.zone)
        end = datetime.combine(day, self.closes_at, self.zone)
        return (start, end) if end > start else None


def add_business_time(start: datetime, duration: timedelta, hours: WorkingHours) -> datetime:
    """The instant when ``duration`` of working time has passed since ``start``."""
    remaining = duration
    day = start.astimezone(hours.zone).date()
    for _ in range(_MAX_DAYS):
        window = hours.window(day)
        if window:
            begin = max(window[0], start)
            if begin < window[1]:
                available = window[1] - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("The response target does not fit in a year of working days.")


def business_time_between(start: datetime, end: datetime, hours: WorkingHours) -> timedelta:
    """Working time between two instants (zero if ``end`` is not after ``start``)."""
    total = timedelta(0)
    day = start.astimezone(hours.zone).date()
    last = end.astimezone(hours.zone).date()
    while day <= last:
        window = hours.window(day)
        if window:
            begin, finish = max(window[0], start), min(window[1], end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total
