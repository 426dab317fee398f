"""Response clocks in business hours (MOD-2): weekends, holidays, DST; overdue notification."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from pregonero.agenda.models import LocalHoliday
from pregonero.inbox import notify, targets
from pregonero.inbox.business_hours import WorkingHours, add_business_time, business_time_between
from pregonero.inbox.models import Conversation, Kind, ResponseTarget, State

MADRID = ZoneInfo("Europe/Madrid")
HOURS = WorkingHours(MADRID, time(8), time(15), frozenset(range(5)))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MADRID)


def test_a_clock_started_on_friday_afternoon_runs_on_monday():
    # 1 hour on Friday (14:00-15:00), the weekend skipped, 1 hour on Monday.
    due = add_business_time(local(2026, 3, 6, 14, 0), timedelta(hours=2), HOURS)
    assert due == local(2026, 3, 9, 9, 0)


def test_a_message_at_night_waits_for_the_office_to_open():
    assert add_business_time(local(2026, 3, 10, 22, 30), timedelta(hours=2), HOURS) == local(
        2026, 3, 11, 10, 0
    )


def test_the_clock_skips_holidays():
    with_holiday = WorkingHours(MADRID, time(8), time(15), frozenset(range(5)), frozenset({date(2026, 3, 9)}))
    assert add_business_time(local(2026, 3, 6, 14, 0), timedelta(hours=2), with_holiday) == local(
        2026, 3, 10, 9, 0
    )


def test_working_hours_are_wall_clock_hours_across_dst():
    # Clocks go forward on Sunday 29 March 2026: Monday 08:00 is 06:00 UTC, not 07:00.
    due = add_business_time(local(2026, 3, 27, 14, 0), timedelta(hours=2), HOURS)
    assert due == local(2026, 3, 30, 9, 0)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    # And back on Sunday 25 October: a Friday-to-Monday clock still counts 7 hours a day.
    friday, monday = local(2026, 10, 23, 8, 0), local(2026, 10, 26, 15, 0)
    assert business_time_between(friday, monday, HOURS) == timedelta(hours=14)


@pytest.mark.django_db
def test_the_organisations_holidays_and_targets_make_the_due_time(vilanova):
    # Good Friday (3 April 2026) is a national holiday; Easter Monday a local one here.
    LocalHoliday.objects.create(organisation=vilanova, date=date(2026, 4, 6), name="Dilluns de Pasqua")
    ResponseTarget.objects.create(organisation=vilanova, kind=Kind.MENTION, hours=Decimal("1.5"))
    arrived = local(2026, 4, 2, 14, 30)
    assert targets.due_at(vilanova, Kind.MENTION, arrived) == local(2026, 4, 7, 9, 0)
    # Without a target of its own, a kind gets MOD-2's two hours.
    assert targets.due_at(vilanova, Kind.THREAD, arrived) == local(2026, 4, 7, 9, 30)


@pytest.mark.django_db
def test_an_overdue_answer_is_told_to_the_assignee_once(vilanova, channel, pau):
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    common = {"organisation": vilanova, "channel": channel, "kind": Kind.THREAD, "assignee": pau}
    late = Conversation.objects.create(key="a", due_at=now - timedelta(minutes=1), **common)
    Conversation.objects.create(key="b", due_at=now + timedelta(hours=1), **common)
    Conversation.objects.create(key="c", due_at=now - timedelta(hours=1), state=State.RESOLVED, **common)
    Conversation.objects.create(key="d", due_at=None, **common)
    assert notify.overdue(now) == 1
    assert [message.to for message in mail.outbox] == [[pau.email]]
    assert f"/inbox/{late.pk}/" in mail.outbox[0].body
    assert notify.overdue(now + timedelta(minutes=5)) == 0
