"""Local times on the days clocks change, in Europe/Madrid and Atlantic/Canary."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.publishing import review, scheduling
from pregonero.publishing.localtime import AmbiguousLocalTime, NonexistentLocalTime, to_utc
from pregonero.publishing.models import PostState, PublicationState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)

MADRID = ZoneInfo("Europe/Madrid")
CANARY = ZoneInfo("Atlantic/Canary")


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


SPRING = last_sunday(2026, 3)
AUTUMN = last_sunday(2026, 10)


def test_the_last_sundays_are_the_days_clocks_change():
    assert last_sunday(2026, 3) == date(2026, 3, 29)
    assert last_sunday(2026, 10) == date(2026, 10, 25)


def test_an_ordinary_time_converts_to_utc():
    assert to_utc(at(SPRING, 12), MADRID) == datetime(2026, 3, 29, 10, 0, tzinfo=UTC)


def test_a_time_in_the_madrid_spring_gap_is_refused_with_the_next_valid_time():
    with pytest.raises(NonexistentLocalTime) as raised:
        to_utc(at(SPRING, 2, 30), MADRID)
    assert raised.value.suggestion.replace(tzinfo=None) == at(SPRING, 3, 0)
    assert "does not exist" in raised.value.messages[0]


def test_the_start_of_the_madrid_gap_is_refused_and_its_end_is_fine():
    with pytest.raises(NonexistentLocalTime):
        to_utc(at(SPRING, 2, 0), MADRID)
    assert to_utc(at(SPRING, 3, 0), MADRID) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_repeated_madrid_time_asks_which_one():
    with pytest.raises(AmbiguousLocalTime) as raised:
        to_utc(at(AUTUMN, 2, 30), MADRID)
    first, second = raised.value.choices
    assert first.utcoffset() == timedelta(hours=2)
    assert second.utcoffset() == timedelta(hours=1)


def test_each_fold_of_a_repeated_madrid_time_is_its_own_instant():
    assert to_utc(at(AUTUMN, 2, 30), MADRID, fold=0) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert to_utc(at(AUTUMN, 2, 30), MADRID, fold=1) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_canary_gap_is_an_hour_earlier_in_local_time():
    with pytest.raises(NonexistentLocalTime) as raised:
        to_utc(at(SPRING, 1, 15), CANARY)
    assert raised.value.suggestion.replace(tzinfo=None) == at(SPRING, 2, 0)
    assert to_utc(at(SPRING, 2, 30), CANARY) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_repeated_canary_time_has_two_instants():
    with pytest.raises(AmbiguousLocalTime):
        to_utc(at(AUTUMN, 1, 30), CANARY)
    assert to_utc(at(AUTUMN, 1, 30), CANARY, fold=0) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert to_utc(at(AUTUMN, 1, 30), CANARY, fold=1) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


# Through the service and the page, on days still to come.

FUTURE = timezone.now().year + 1


@pytest.fixture
def approved(make_post, ana, pau):
    post = make_post(ana)
    review.submit(post, actor=ana)
    return review.approve(post, actor=pau)


def test_scheduling_in_the_gap_is_refused(approved, ana):
    with pytest.raises(NonexistentLocalTime):
        scheduling.schedule(approved, actor=ana, local=at(last_sunday(FUTURE, 3), 2, 30))
    approved.refresh_from_db()
    assert approved.state == PostState.APPROVED
    assert not approved.publications.exists()


def test_scheduling_a_repeated_time_needs_the_fold(approved, ana):
    autumn = last_sunday(FUTURE, 10)
    with pytest.raises(AmbiguousLocalTime):
        scheduling.schedule(approved, actor=ana, local=at(autumn, 2, 30))
    scheduling.schedule(approved, actor=ana, local=at(autumn, 2, 30), fold=1)
    expected = datetime(FUTURE, 10, autumn.day, 1, 30, tzinfo=UTC)
    assert approved.scheduled_at == expected
    assert set(approved.publications.values_list("state", "due_at")) == {(PublicationState.QUEUED, expected)}


def test_a_canary_organisation_schedules_in_its_own_time(approved, ana, vilanova):
    vilanova.time_zone = "Atlantic/Canary"
    vilanova.save()
    approved.organisation.refresh_from_db()
    scheduling.schedule(approved, actor=ana, local=datetime(FUTURE, 7, 1, 10, 0))
    assert approved.scheduled_at == datetime(FUTURE, 7, 1, 9, 0, tzinfo=UTC)


def test_the_schedule_page_offers_both_times_of_a_repeated_hour(client_for, ana, approved, vilanova):
    autumn = last_sunday(FUTURE, 10)
    url = reverse("publishing:schedule", args=[vilanova.slug, approved.pk])
    response = client_for(ana).post(url, {"when": f"{autumn.isoformat()}T02:30"})
    assert response.status_code == 200
    assert b"UTC+02:00" in response.content and b"UTC+01:00" in response.content
    response = client_for(ana).post(url, {"when": f"{autumn.isoformat()}T02:30", "fold": "0"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.scheduled_at == datetime(FUTURE, 10, autumn.day, 0, 30, tzinfo=UTC)


def test_the_schedule_page_suggests_the_end_of_the_gap(client_for, ana, approved, vilanova):
    spring = last_sunday(FUTURE, 3)
    url = reverse("publishing:schedule", args=[vilanova.slug, approved.pk])
    response = client_for(ana).post(url, {"when": f"{spring.isoformat()}T02:15"})
    assert response.status_code == 200
    assert b"does not exist" in response.content
    assert b"03:00" in response.content
