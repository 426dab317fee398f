"""National, regional and local holidays of an organisation's territory."""

from datetime import date

import pytest
from django.utils import translation

from pregonero.agenda.models import LocalHoliday
from pregonero.agenda.public_days import LOCAL, NATIONAL, REGIONAL, holidays_between, subdivision_of


def test_the_subdivision_comes_from_the_iso_region_code():
    assert subdivision_of("ES-VC") == "VC"
    assert subdivision_of("es-ct") == "CT"
    assert subdivision_of("") is None
    assert subdivision_of("ES-XX") is None
    assert subdivision_of("PT-11") is None


def by_date(holidays):
    return {holiday.date: holiday for holiday in holidays}


@pytest.mark.django_db
def test_a_valencian_town_sees_national_and_valencian_holidays(vilanova):
    with translation.override("es"):
        found = by_date(holidays_between(vilanova, date(2026, 1, 1), date(2026, 12, 31)))
    assert found[date(2026, 10, 12)].scope == NATIONAL
    assert found[date(2026, 10, 9)].scope == REGIONAL
    assert "Comunidad Valenciana" in found[date(2026, 10, 9)].name
    # Sant Josep is a holiday in the Valencian Community, not in Catalonia.
    assert date(2026, 3, 19) in found


@pytest.mark.django_db
def test_without_a_region_only_national_holidays_appear(altea):
    found = by_date(holidays_between(altea, date(2026, 1, 1), date(2026, 12, 31)))
    assert date(2026, 10, 9) not in found
    assert {holiday.scope for holiday in found.values()} == {NATIONAL}


@pytest.mark.django_db
def test_a_town_sees_its_own_and_its_councils_local_holidays_and_no_one_elses(vilanova, diputacion, altea):
    LocalHoliday.objects.create(organisation=vilanova, date=date(2026, 9, 8), name="Mare de Déu")
    LocalHoliday.objects.create(organisation=diputacion, date=date(2026, 5, 4), name="Dia de la Diputació")
    LocalHoliday.objects.create(organisation=altea, date=date(2026, 9, 29), name="Sant Miquel")
    found = by_date(holidays_between(vilanova, date(2026, 1, 1), date(2026, 12, 31)))
    assert found[date(2026, 9, 8)].scope == LOCAL
    assert found[date(2026, 5, 4)].declared_by == diputacion.name
    assert date(2026, 9, 29) not in found
    council = by_date(holidays_between(diputacion, date(2026, 1, 1), date(2026, 12, 31)))
    assert date(2026, 9, 8) not in council


@pytest.mark.django_db
def test_only_days_inside_the_range_are_returned(vilanova):
    found = holidays_between(vilanova, date(2026, 12, 24), date(2027, 1, 2))
    assert [holiday.date for holiday in found] == [date(2026, 12, 25), date(2027, 1, 1)]
