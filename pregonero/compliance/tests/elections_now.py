"""An election entered for Vilanova, placed relative to today, for the pre-flight tests.

Test modules import ``hold_election_fixture``; ``hold_election(days_to_vote)`` has Alba (admin)
enter a local election whose vote is that many days away, as she would on the elections page,
so the checks see it through check_context. It returns the election.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pregonero.compliance import elections
from pregonero.compliance.elections import local_today
from pregonero.compliance.models import Election

# With the vote 60 days away the campaign runs from day 44 to day 58; the period opens on day 6.
VOTE_IN_DAYS = 60
CAMPAIGN_DAY = 50
BEFORE_THE_PERIOD = 3


@pytest.fixture(name="hold_election")
def hold_election_fixture(vilanova, alba):
    def hold(days_to_vote: int = VOTE_IN_DAYS) -> Election:
        election, _held = elections.create_election(
            vilanova,
            actor=alba,
            name="Municipales",
            kind="local",
            election_date=local_today(vilanova) + timedelta(days=days_to_vote),
        )
        return election

    return hold


def in_days(days: int) -> datetime:
    """An aware instant ``days`` from now at 10:00 UTC, clear of midnight in Spain."""
    return (timezone.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)


def local_field(organisation, instant: datetime) -> str:
    """``instant`` as the schedule form's field takes it: the organisation's wall-clock time."""
    return instant.astimezone(ZoneInfo(organisation.time_zone)).strftime("%Y-%m-%dT%H:%M")
