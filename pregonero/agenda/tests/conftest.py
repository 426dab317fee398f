"""Fixtures of the calendar tests: publishing's fake networks and post maker, times ahead."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pregonero.publishing import review, scheduling
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    plain_fixture,
    threads_fixture,
)

MADRID = ZoneInfo("Europe/Madrid")
NEXT_YEAR = timezone.now().year + 1


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


# The next days the clocks change in Madrid that are surely ahead of the test run.
SPRING = last_sunday(NEXT_YEAR, 3)
AUTUMN = last_sunday(NEXT_YEAR, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.fixture(autouse=True)
def _valencian_territory(vilanova):
    vilanova.region = "ES-VC"
    vilanova.save(update_fields=["region"])


@pytest.fixture
def approved(make_post, ana, pau):
    """``approved(**values)``: a post of vilanova by ana, approved by pau."""

    def make(**values):
        post = make_post(ana, **values)
        review.submit(post, actor=ana)
        return review.approve(post, actor=pau)

    return make


@pytest.fixture
def scheduled(approved, ana):
    """``scheduled(local, **values)``: an approved post scheduled at Madrid wall time ``local``."""

    def make(local: datetime, **values):
        return scheduling.schedule(approved(**values), actor=ana, local=local)

    return make
