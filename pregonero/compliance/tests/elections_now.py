"""An election the checks see, placed relative to today, for the pre-flight tests.

Test modules import ``hold_election_fixture``; ``hold_election(days_to_vote)`` makes every
organisation bound by a local election whose vote is that many days away, and returns it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pregonero.checks.model import CalendarFacts, ElectionPeriod
from pregonero.compliance import preflight
from pregonero.compliance.context import check_context

# With the vote 60 days away the campaign runs from day 44 to day 58; the period opens on day 6.
VOTE_IN_DAYS = 60
CAMPAIGN_DAY = 50
BEFORE_THE_PERIOD = 3


@pytest.fixture(name="hold_election")
def hold_election_fixture(monkeypatch):
    def hold(days_to_vote: int = VOTE_IN_DAYS) -> ElectionPeriod:
        period = ElectionPeriod(
            name="Municipales", kind="local", election_date=date.today() + timedelta(days=days_to_vote)
        )

        def with_election(organisation):
            return replace(check_context(organisation), calendar=CalendarFacts(elections=(period,)))

        monkeypatch.setattr(preflight, "check_context", with_election)
        return period

    return hold


def in_days(days: int) -> datetime:
    """An aware instant ``days`` from now at 10:00 UTC, clear of midnight in Spain."""
    return (timezone.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)


def local_field(organisation, instant: datetime) -> str:
    """``instant`` as the schedule form's field takes it: the organisation's wall-clock time."""
    return instant.astimezone(ZoneInfo(organisation.time_zone)).strftime("%Y-%m-%dT%H:%M")
