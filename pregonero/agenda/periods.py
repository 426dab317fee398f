"""Which days a calendar page shows: month, week and list periods, Monday-first weeks.

Pure date arithmetic; the views turn a period into the organisation's UTC bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MONTH, WEEK, LIST = "month", "week", "list"
VIEWS = (MONTH, WEEK, LIST)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Period:
    """The days one calendar page shows.

    ``start``/``end`` bound the days shown (inclusive); ``focus_start``/``focus_end`` the
    month or week the page is about (a month grid also shows the ends of the weeks around it).
    """

    view: str
    focus_start: date
    focus_end: date
    start: date
    end: date
    previous: date
    next: date

    def days(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range((self.end - self.start).days + 1)]

    def weeks(self) -> list[list[date]]:
        days = self.days()
        return [days[index : index + 7] for index in range(0, len(days), 7)]

    def in_focus(self, day: date) -> bool:
        return self.focus_start <= day <= self.focus_end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_for(view: str, anchor: date) -> Period:
    """The period of kind ``view`` that contains ``anchor``."""
    if view == WEEK:
        monday = monday_of(anchor)
        sunday = monday + timedelta(days=6)
        return Period(
            WEEK, monday, sunday, monday, sunday, monday - timedelta(days=7), monday + timedelta(days=7)
        )
    first = first_of_month(anchor)
    last = add_months(first, 1) - timedelta(days=1)
    if view == LIST:
        start, end = first, last
    else:
        start, end = monday_of(first), monday_of(last) + timedelta(days=6)
    return Period(view, first, last, start, end, add_months(first, -1), add_months(first, 1))
