from datetime import UTC, date, datetime

import pytest

from pregonero.checks.elections import (
    applies_to,
    local_date,
    periods_in_force,
    phase,
    removal_deadline,
    windows,
)
from pregonero.checks.model import ElectionPeriod, Territory

VALENCIA_TOWN = Territory(region="ES-VC", province="46", municipality="46250")
GALICIAN_TOWN = Territory(region="ES-GA", province="15", municipality="15030")
CANARY_TOWN = Territory(region="ES-CN", province="35", municipality="35016")
GENERALITAT = Territory(region="ES-VC")

# The 2023 local elections: call published on 4 April, vote on Sunday 28 May.
LOCAL_2023 = ElectionPeriod("Locales 2023", "local", call_date=date(2023, 4, 4))


def test_the_vote_is_on_day_54_and_the_campaign_runs_from_day_38_for_15_days():
    w = windows(LOCAL_2023)
    assert w.election_day == date(2023, 5, 28)
    assert w.campaign_start == date(2023, 5, 12)
    assert w.campaign_end == date(2023, 5, 26)
    assert w.reflection_day == date(2023, 5, 27)


def test_an_election_date_gives_the_same_windows_as_its_call_date():
    from_vote = ElectionPeriod("Locales 2023", "local", election_date=date(2023, 5, 28))
    assert windows(from_vote) == windows(LOCAL_2023)


def test_dates_that_contradict_article_42_are_refused():
    with pytest.raises(ValueError, match="day 54"):
        windows(ElectionPeriod("x", "local", call_date=date(2023, 4, 4), election_date=date(2023, 5, 29)))
    with pytest.raises(ValueError, match="call date or an election date"):
        windows(ElectionPeriod("x", "local"))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 4, 3), None),
        (date(2023, 4, 4), "pre_campaign"),
        (date(2023, 5, 11), "pre_campaign"),
        (date(2023, 5, 12), "campaign"),
        (date(2023, 5, 26), "campaign"),
        (date(2023, 5, 27), "reflection_day"),
        (date(2023, 5, 28), "election_day"),
        (date(2023, 5, 29), None),
    ],
)
def test_each_day_falls_in_its_phase(day, expected):
    assert phase(windows(LOCAL_2023), day) == expected


@pytest.mark.parametrize(
    ("election", "territory", "expected"),
    [
        (ElectionPeriod("Generales", "general"), GALICIAN_TOWN, True),
        (ElectionPeriod("Europeas", "european"), GENERALITAT, True),
        (ElectionPeriod("Autonómicas CV", "regional", region="ES-VC"), VALENCIA_TOWN, True),
        (ElectionPeriod("Autonómicas CV", "regional", region="ES-VC"), GENERALITAT, True),
        (ElectionPeriod("Autonómicas CV", "regional", region="ES-VC"), GALICIAN_TOWN, False),
        (ElectionPeriod("Locales", "local"), GENERALITAT, True),
        (ElectionPeriod("Repetición", "local", municipalities=("46250",)), VALENCIA_TOWN, True),
        (
            ElectionPeriod("Repetición", "local", municipalities=("46250",)),
            Territory("ES-VC", "46", "46001"),
            False,
        ),
        (ElectionPeriod("Repetición", "local", municipalities=("46250",)), Territory("ES-VC", "46"), True),
        (ElectionPeriod("Repetición", "local", municipalities=("46250",)), Territory("ES-VC", "03"), False),
    ],
)
def test_a_period_binds_every_body_inside_the_territory_of_its_election(election, territory, expected):
    assert applies_to(election, territory) is expected


def test_the_campaign_ends_at_local_midnight_an_hour_later_in_the_canaries():
    # 23:30 UTC on the last campaign day is 01:30 in Madrid (reflection day) and 00:30 in the
    # Canaries (reflection day too); 22:30 UTC is 00:30 in Madrid but 23:30 in the Canaries.
    late = datetime(2023, 5, 26, 22, 30, tzinfo=UTC)
    assert local_date(late, VALENCIA_TOWN) == date(2023, 5, 27)
    assert local_date(late, CANARY_TOWN) == date(2023, 5, 26)
    assert periods_in_force([LOCAL_2023], late, CANARY_TOWN)[0].phase == "campaign"
    assert periods_in_force([LOCAL_2023], late, VALENCIA_TOWN)[0].phase == "reflection_day"


def test_overlapping_elections_are_all_in_force_each_in_its_phase():
    regional = ElectionPeriod("Autonómicas CV", "regional", region="ES-VC", call_date=date(2023, 4, 20))
    when = datetime(2023, 5, 20, 10, tzinfo=UTC)
    in_force = {
        item.election.name: item.phase
        for item in periods_in_force([LOCAL_2023, regional], when, VALENCIA_TOWN)
    }
    assert in_force == {"Locales 2023": "campaign", "Autonómicas CV": "pre_campaign"}


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2023, 5, 20, 10), VALENCIA_TOWN)


def test_a_removal_order_must_be_met_within_24_hours():
    received = datetime(2023, 5, 20, 10, tzinfo=UTC)
    assert removal_deadline(received) == datetime(2023, 5, 21, 10, tzinfo=UTC)
