"""Local holidays: admins keep them, audited; the organisations below see them."""

from datetime import date

import pytest
from django.urls import reverse

from pregonero.agenda.models import LocalHoliday
from pregonero.agenda.tests.conftest import NEXT_YEAR
from pregonero.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def holidays_url(organisation):
    return reverse("agenda:holidays", args=[organisation.slug])


def test_an_admin_adds_a_local_holiday_and_it_is_audited(client_for, alba, vilanova):
    response = client_for(alba).post(
        holidays_url(vilanova), {"date": f"{NEXT_YEAR}-09-08", "name": "Mare de Déu de Gràcia"}
    )
    assert response.status_code == 302
    holiday = LocalHoliday.objects.get(organisation=vilanova)
    assert (holiday.date, holiday.name, holiday.created_by) == (
        date(NEXT_YEAR, 9, 8),
        "Mare de Déu de Gràcia",
        alba,
    )
    entry = AuditEntry.objects.get(action="agenda.local_holiday_added")
    assert entry.actor == alba and entry.organisation == vilanova


def test_a_second_holiday_on_the_same_day_is_refused_on_the_date_field(client_for, alba, vilanova):
    LocalHoliday.objects.create(organisation=vilanova, date=date(NEXT_YEAR, 9, 8), name="Festa")
    response = client_for(alba).post(holidays_url(vilanova), {"date": f"{NEXT_YEAR}-09-08", "name": "Altra"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert LocalHoliday.objects.count() == 1


def test_an_admin_changes_and_removes_a_local_holiday_with_audit(client_for, alba, vilanova):
    holiday = LocalHoliday.objects.create(organisation=vilanova, date=date(NEXT_YEAR, 9, 8), name="Festa")
    client = client_for(alba)
    edit = reverse("agenda:holiday_edit", args=[vilanova.slug, holiday.pk])
    assert client.post(edit, {"date": f"{NEXT_YEAR}-09-09", "name": "Festa major"}).status_code == 302
    holiday.refresh_from_db()
    assert (holiday.date, holiday.name) == (date(NEXT_YEAR, 9, 9), "Festa major")
    changed = AuditEntry.objects.get(action="agenda.local_holiday_changed")
    assert changed.changes["name"] == ["Festa", "Festa major"]
    remove = reverse("agenda:holiday_remove", args=[vilanova.slug, holiday.pk])
    assert client.post(remove).status_code == 302
    assert not LocalHoliday.objects.exists()
    assert AuditEntry.objects.filter(action="agenda.local_holiday_removed").exists()


@pytest.mark.parametrize("persona", ["vera", "ana", "pau"])
def test_only_admins_manage_local_holidays(request, client_for, vilanova, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(holidays_url(vilanova)).status_code == 403
    assert client.post(holidays_url(vilanova), {"date": f"{NEXT_YEAR}-09-08", "name": "X"}).status_code == 403
    assert not LocalHoliday.objects.exists()


def test_a_town_admin_sees_the_councils_days_but_cannot_edit_them(client_for, alba, vilanova, diputacion):
    above = LocalHoliday.objects.create(
        organisation=diputacion, date=date(NEXT_YEAR, 5, 4), name="Dia provincial"
    )
    client = client_for(alba)
    assert "Dia provincial" in client.get(holidays_url(vilanova)).content.decode()
    edit = reverse("agenda:holiday_edit", args=[vilanova.slug, above.pk])
    assert client.post(edit, {"date": f"{NEXT_YEAR}-05-05", "name": "Changed"}).status_code == 404
    remove = reverse("agenda:holiday_remove", args=[vilanova.slug, above.pk])
    assert client.post(remove).status_code == 404
    assert LocalHoliday.objects.get(pk=above.pk).name == "Dia provincial"


def test_the_council_admin_manages_the_towns_days(client_for, diana, vilanova):
    response = client_for(diana).post(holidays_url(vilanova), {"date": f"{NEXT_YEAR}-09-08", "name": "Festa"})
    assert response.status_code == 302
    assert LocalHoliday.objects.get().organisation == vilanova


def test_an_admin_of_another_town_gets_404(client_for, oscar, vilanova):
    holiday = LocalHoliday.objects.create(organisation=vilanova, date=date(NEXT_YEAR, 9, 8), name="Festa")
    client = client_for(oscar)
    assert client.get(holidays_url(vilanova)).status_code == 404
    edit = reverse("agenda:holiday_edit", args=[vilanova.slug, holiday.pk])
    assert client.post(edit, {"date": f"{NEXT_YEAR}-09-09", "name": "X"}).status_code == 404
