"""Elections as admins enter them: validation, windows, who they bind, the calendar's view."""

from __future__ import annotations

import typing
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pregonero.audit.models import AuditEntry
from pregonero.checks.model import ElectionKind as EngineKinds
from pregonero.compliance import elections
from pregonero.compliance.context import check_context
from pregonero.compliance.models import Election, ElectionKind
from pregonero.compliance.tests.factories import enter, place, today, valencian_fixture  # noqa: F401

CALL = date(2027, 4, 6)


def test_the_kinds_are_those_the_checks_engine_knows():
    assert set(ElectionKind.values) == set(typing.get_args(EngineKinds))


def test_an_election_entered_by_its_call_date_stores_its_period(diputacion, diana):
    election = enter(diputacion, diana, call_date=CALL)
    assert (election.opens_on, election.closes_on) == (CALL, CALL + timedelta(days=54))
    assert election.windows.campaign_start == CALL + timedelta(days=38)
    assert election.windows.reflection_day == CALL + timedelta(days=53)


def test_an_election_entered_by_its_vote_date_gets_the_same_windows(diputacion, diana):
    by_vote = enter(diputacion, diana, election_date=CALL + timedelta(days=54))
    assert by_vote.opens_on == CALL
    assert by_vote.windows == enter(diputacion, diana, call_date=CALL).windows


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "call_date"),
        ({"call_date": CALL, "election_date": CALL + timedelta(days=50)}, "election_date"),
        ({"call_date": CALL, "kind": "regional"}, "region"),
        ({"call_date": CALL, "kind": "general", "region": "ES-VC"}, "region"),
        ({"call_date": CALL, "kind": "local", "municipalities": ["4625"]}, "municipalities"),
        ({"call_date": CALL, "kind": "referendum", "municipalities": ["46250"]}, "municipalities"),
    ],
)
def test_an_election_that_cannot_be_right_is_refused_on_its_field(diputacion, diana, values, field):
    with pytest.raises(ValidationError) as error:
        enter(diputacion, diana, **values)
    assert field in error.value.message_dict
    assert not Election.objects.exists()


def test_only_an_admin_enters_elections(vilanova, pau):
    with pytest.raises(PermissionDenied):
        enter(vilanova, pau, call_date=CALL)


def test_entering_changing_and_deleting_an_election_is_audited(vilanova, alba):
    election = enter(vilanova, alba, call_date=CALL)
    elections.update_election(election, actor=alba, name="Generales 2027")
    elections.delete_election(election, actor=alba)
    entries = list(AuditEntry.objects.filter(action__startswith="election.").order_by("seq"))
    assert [entry.action for entry in entries] == ["election.created", "election.updated", "election.deleted"]
    assert entries[0].changes["call_date"] == [None, CALL.isoformat()]
    assert entries[0].details["campaign"] == [
        (CALL + timedelta(days=38)).isoformat(),
        (CALL + timedelta(days=52)).isoformat(),
    ]
    assert entries[1].changes == {"name": ["Generales", "Generales 2027"]}
    assert not Election.objects.exists()


def test_an_election_entered_above_binds_the_towns_below_but_not_other_trees(
    valencian, diputacion, vilanova, altea, diana
):
    enter(diputacion, diana, name="Autonómicas", kind="regional", region="ES-VC", call_date=CALL)
    assert [e.name for e in elections.elections_binding(vilanova)] == ["Autonómicas"]
    assert [e.name for e in elections.elections_binding(diputacion)] == ["Autonómicas"]
    # Altea is in the same region, but in another tree: its admin enters its own elections.
    assert elections.elections_binding(altea) == []


def test_an_election_entered_below_does_not_bind_the_council_above(valencian, diputacion, vilanova, alba):
    enter(vilanova, alba, call_date=CALL)
    assert elections.elections_binding(diputacion) == []


def test_the_territory_decides_within_the_tree(valencian, diputacion, vilanova, diana):
    enter(diputacion, diana, name="Galicia", kind="regional", region="ES-GA", call_date=CALL)
    enter(diputacion, diana, name="Parcial Vilanova", kind="local", municipalities=["46250"], call_date=CALL)
    enter(diputacion, diana, name="Parcial Sueca", kind="local", municipalities=["46235"], call_date=CALL)
    assert [e.name for e in elections.elections_binding(vilanova)] == ["Parcial Vilanova"]
    # The council of the province is bound by both partial elections in its towns.
    assert {e.name for e in elections.elections_binding(diputacion)} == {"Parcial Sueca", "Parcial Vilanova"}


def test_the_calendar_gets_the_windows_of_periods_that_touch_its_range(vilanova, alba):
    first = enter(vilanova, alba, name="Generales", call_date=CALL)
    enter(vilanova, alba, name="Europeas", kind="european", call_date=CALL + timedelta(days=120))
    found = elections.election_windows_between(vilanova, CALL - timedelta(days=30), CALL)
    assert [(item.election_id, item.period.name) for item in found] == [(first.pk, "Generales")]
    assert found[0].windows.election_day == CALL + timedelta(days=54)
    # Overlapping elections both appear, in call order.
    overlapping = enter(vilanova, alba, name="Locales", kind="local", call_date=CALL + timedelta(days=10))
    found = elections.election_windows_between(vilanova, CALL + timedelta(days=40), CALL + timedelta(days=41))
    assert [item.election_id for item in found] == [first.pk, overlapping.pk]
    between_periods = (CALL + timedelta(days=65), CALL + timedelta(days=119))
    assert elections.election_windows_between(vilanova, *between_periods) == []


def test_check_context_carries_the_binding_elections_not_yet_over(valencian, vilanova, diana, diputacion):
    enter(diputacion, diana, name="Pasadas", call_date=today(vilanova) - timedelta(days=80))
    enter(diputacion, diana, name="Abiertas", kind="regional", region="ES-VC", call_date=today(vilanova))
    enter(diputacion, diana, name="Otra región", kind="regional", region="ES-CT", call_date=today(vilanova))
    calendar = check_context(vilanova).calendar
    assert [period.name for period in calendar.elections] == ["Abiertas"]
    assert calendar.elections[0].region == "ES-VC"


def test_place_sets_the_territory_the_checks_read(vilanova):
    place(vilanova, "ES-VC", "46", "46250")
    territory = check_context(vilanova).territory
    assert (territory.region, territory.province, territory.municipality) == ("ES-VC", "46", "46250")
