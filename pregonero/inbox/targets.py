"""Response targets of an organisation (MOD-2): its working hours, holidays and per-kind targets."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from pregonero.agenda.public_days import holidays_between
from pregonero.inbox.business_hours import WorkingHours, add_business_time, business_time_between
from pregonero.inbox.models import InboxSettings, Kind, ResponseTarget

# MOD-2 cites two hours for questions and complaints in working hours.
DEFAULT_TARGET_HOURS = Decimal(2)
# How far ahead holidays are looked up: beyond any sensible target plus the Christmas break.
_HOLIDAY_HORIZON = timedelta(days=90)


def settings_of(organisation) -> InboxSettings:
    found = InboxSettings.objects.filter(organisation=organisation).first()
    return found or InboxSettings(organisation=organisation)


def working_hours(organisation, start: datetime, horizon: timedelta = _HOLIDAY_HORIZON) -> WorkingHours:
    stored = settings_of(organisation)
    zone = ZoneInfo(organisation.time_zone)
    first = start.astimezone(zone).date() - timedelta(days=1)
    holidays = holidays_between(organisation, first, first + horizon)
    return WorkingHours(
        zone=zone,
        opens_at=stored.opens_at,
        closes_at=stored.closes_at,
        working_days=stored.days(),
        holidays=frozenset(holiday.date for holiday in holidays),
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
