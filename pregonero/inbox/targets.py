"""Response targets of an organisation (MOD-2): its working hours, holidays and per-kind targets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from pregonero.agenda.public_days import local_holidays_seen_by, territory_holidays
from pregonero.inbox.business_hours import WorkingHours, add_business_time, business_time_between
from pregonero.inbox.models import InboxSettings, Kind, ResponseTarget

# MOD-2 cites two hours for questions and complaints in working hours.
DEFAULT_TARGET_HOURS = Decimal(2)
# How far ahead holidays are looked up: beyond any sensible target plus the Christmas break.
_HOLIDAY_HORIZON = timedelta(days=90)


def settings_of(organisation) -> InboxSettings:
    found = InboxSettings.objects.filter(organisation=organisation).first()
    return found or InboxSettings(organisation=organisation)


@lru_cache(maxsize=512)
def _territory_days(region: str, first: date, last: date) -> frozenset[date]:
    """National and regional holidays: fixed tables of the ``holidays`` package, so a process
    may keep them; building them is most of the cost of starting a clock."""
    return frozenset(holiday.date for holiday in territory_holidays(region, first, last))


def holiday_dates(organisation, first: date, last: date) -> frozenset[date]:
    local = local_holidays_seen_by(organisation).filter(date__gte=first, date__lte=last)
    return _territory_days(organisation.region, first, last) | frozenset(local.values_list("date", flat=True))


def working_hours(organisation, start: datetime, horizon: timedelta = _HOLIDAY_HORIZON) -> WorkingHours:
    stored = settings_of(organisation)
    zone = ZoneInfo(organisation.time_zone)
    first = start.astimezone(zone).date() - timedelta(days=1)
    return WorkingHours(
        zone=zone,
        opens_at=stored.opens_at,
        closes_at=stored.closes_at,
        working_days=stored.days(),
        holidays=holiday_dates(organisation, first, first + horizon),
    )


def target_hours(organisation, kind: str) -> Decimal:
    found = ResponseTarget.objects.filter(organisation=organisation, kind=kind).first()
    return found.hours if found else DEFAULT_TARGET_HOURS


def targets_by_kind(organisation) -> dict[str, Decimal]:
    stored = {row.kind: row.hours for row in ResponseTarget.objects.filter(organisation=organisation)}
    return {kind: stored.get(kind, DEFAULT_TARGET_HOURS) for kind in Kind.values}


def due_at(organisation, kind: str, arrived: datetime) -> datetime:
    """When an answer to a conversation of ``kind`` that arrived at ``arrived`` falls due."""
    duration = timedelta(hours=float(target_hours(organisation, kind)))
    return add_business_time(arrived, duration, working_hours(organisation, arrived))


def business_time_left(organisation, due: datetime, now: datetime) -> timedelta:
    """Working time until ``due`` (negative when overdue), for the clock on a conversation."""
    if due >= now:
        return business_time_between(now, due, working_hours(organisation, now))
    return -business_time_between(due, now, working_hours(organisation, due))
