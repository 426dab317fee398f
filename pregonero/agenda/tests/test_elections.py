"""Election periods as bands on the calendar: pre-campaign, campaign, reflection day, election day."""

from datetime import date, timedelta

import icalendar
import pytest
from django.urls import reverse

from pregonero.agenda.elections import election_bands
from pregonero.compliance.models import Election

pytestmark = pytest.mark.django_db

VOTE = date(2027, 5, 23)


@pytest.fixture
def regional_election(diputacion, diana):
    """Valencian elections entered by the council above vilanova."""
    return Election.objects.create(
        organisation=diputacion,
        name="Eleccions a les Corts Valencianes",
        kind="regional",
        region="ES-VC",
        election_date=VOTE,
        created_by=diana,
    )


def test_the_phases_follow_the_loreg_windows(vilanova, regional_election):
    bands = {band.phase: band for band in election_bands(vilanova, date(2027, 3, 1), date(2027, 5, 31))}
    call = VOTE - timedelta(days=54)
    assert (bands["pre_campaign"].start, bands["pre_campaign"].end) == (call, call + timedelta(days=37))
    assert (bands["campaign"].start, bands["campaign"].end) == (
        call + timedelta(days=38),
        VOTE - timedelta(days=2),
    )
    assert bands["reflection_day"].start == bands["reflection_day"].end == VOTE - timedelta(days=1)
    assert bands["election_day"].start == VOTE
    assert bands["campaign"].election == "Eleccions a les Corts Valencianes"


def test_only_phases_touching_the_range_are_returned(vilanova, regional_election):
    assert [band.phase for band in election_bands(vilanova, VOTE, VOTE)] == ["election_day"]
    assert election_bands(vilanova, date(2027, 7, 1), date(2027, 7, 31)) == []


def test_an_election_of_another_region_or_tree_does_not_show(altea, vilanova, regional_election):
    altea.region = "ES-VC"
    altea.save()
    # Entered by the council above vilanova, not above altea: it never reaches altea.
    assert election_bands(altea, date(2027, 5, 1), date(2027, 5, 31)) == []


def test_the_month_shows_the_reflection_and_election_days(client_for, vera, vilanova, regional_election):
    response = client_for(vera).get(reverse("agenda:month", args=[vilanova.slug]), {"date": "2027-05-01"})
    html = response.content.decode()
    reflection = html.split('data-date="2027-05-22"')[1].split("</td>")[0]
    assert "Reflection day" in reflection
    assert "Election day" in html.split('data-date="2027-05-23"')[1].split("</td>")[0]
    assert "Election campaign" in html.split('data-date="2027-05-15"')[1].split("</td>")[0]


def test_the_ics_export_carries_each_phase_as_whole_days(client_for, vera, vilanova, regional_election):
    response = client_for(vera).get(
        reverse("agenda:export_ics", args=[vilanova.slug]), {"date": "2027-05-01"}
    )
    phases = {
        str(event["SUMMARY"]): event
        for event in icalendar.Calendar.from_ical(response.content.decode()).walk("VEVENT")
        if str(event["UID"]).startswith("election-")
    }
    campaign = phases["Election campaign: Eleccions a les Corts Valencianes"]
    assert campaign.decoded("DTSTART") == VOTE - timedelta(days=16)
    # DTEND of whole days is the day after the last: the campaign's last day is two days before the vote.
    assert campaign.decoded("DTEND") == VOTE - timedelta(days=1)
    assert "Election day: Eleccions a les Corts Valencianes" in phases
