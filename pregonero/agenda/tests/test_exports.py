"""The calendar's iCalendar and CSV exports: read back, filtered, safe for spreadsheets."""

import csv
import io
from datetime import UTC, date, datetime

import icalendar
import pytest
from django.urls import reverse

from pregonero.agenda.tests.conftest import NEXT_YEAR, at

pytestmark = pytest.mark.django_db


def export(client, name, organisation, **query):
    return client.get(reverse(name, args=[organisation.slug]), {"date": f"{NEXT_YEAR}-06-01", **query})


def events(response) -> list:
    return icalendar.Calendar.from_ical(response.content.decode("utf-8")).walk("VEVENT")


def test_the_ics_export_has_each_post_at_its_utc_time(client_for, vera, vilanova, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10, 30), title="Mercado, plaza; 10 h")
    response = export(client_for(vera), "agenda:export_ics", vilanova)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    found = {str(event["UID"]): event for event in events(response)}
    event = found[f"post-{post.pk}@testserver"]
    assert str(event["SUMMARY"]) == "Mercado, plaza; 10 h"
    assert event.decoded("DTSTART") == datetime(NEXT_YEAR, 6, 15, 8, 30, tzinfo=UTC)
    assert f"DTSTART:{NEXT_YEAR}0615T083000Z" in response.content.decode()
    assert str(event["URL"]).endswith(reverse("publishing:detail", args=[vilanova.slug, post.pk]))
    assert str(event["STATUS"]) == "CONFIRMED"


def test_ics_uids_are_the_same_in_every_export(client_for, vera, vilanova, scheduled):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    client = client_for(vera)
    first = sorted(str(event["UID"]) for event in events(export(client, "agenda:export_ics", vilanova)))
    second = sorted(str(event["UID"]) for event in events(export(client, "agenda:export_ics", vilanova)))
    assert first == second
    assert len(first) == len(set(first))


def test_the_ics_lines_are_at_most_75_octets(client_for, vera, vilanova, scheduled):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title="Títol molt llarg amb accents · " * 5)
    content = export(client_for(vera), "agenda:export_ics", vilanova).content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))


def test_the_ics_export_carries_the_holidays_as_whole_days(client_for, vera, vilanova):
    response = export(client_for(vera), "agenda:export_ics", vilanova, date=f"{NEXT_YEAR}-10-01")
    days = {event.decoded("DTSTART"): event for event in events(response)}
    assert date(NEXT_YEAR, 10, 12) in days
    assert str(days[date(NEXT_YEAR, 10, 12)]["TRANSP"]) == "TRANSPARENT"


def test_the_exports_respect_the_filters(client_for, vera, vilanova, scheduled, plain):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title="En el hilo")
    scheduled(at(date(NEXT_YEAR, 6, 16), 10), title="En el plano", channels=[plain])
    client = client_for(vera)
    ics = export(client, "agenda:export_ics", vilanova, channel=plain.pk)
    assert [str(event["SUMMARY"]) for event in events(ics) if str(event["UID"]).startswith("post-")] == [
        "En el plano"
    ]
    rows = read_csv(export(client, "agenda:export_csv", vilanova, channel=plain.pk))
    assert [row["title"] for row in rows] == ["En el plano"]


def test_the_export_covers_the_period_of_the_page(client_for, vera, vilanova, scheduled):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title="Junio")
    scheduled(at(date(NEXT_YEAR, 7, 15), 10), title="Julio")
    rows = read_csv(
        export(client_for(vera), "agenda:export_csv", vilanova, view="week", date=f"{NEXT_YEAR}-07-14")
    )
    assert [row["title"] for row in rows] == ["Julio"]


def read_csv(response, delimiter=","):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_csv_export_reads_back_with_local_times_and_texts(client_for, vera, vilanova, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10, 30), title="Mercado", tags=["feria", "verano"])
    response = export(client_for(vera), "agenda:export_csv", vilanova)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    (row,) = read_csv(response)
    assert row["id"] == str(post.pk)
    assert (row["date"], row["time"], row["utc_offset"]) == (f"{NEXT_YEAR}-06-15", "10:30", "'+02:00")
    assert row["state"] == "scheduled"
    assert row["channels"] == "Fil"
    assert row["tags"] == "feria | verano"
    assert row["text_es"] == "Corte de agua el lunes."
    assert row["text_ca"] == "Tall d'aigua dilluns."


def test_the_csv_export_neutralises_formulas(client_for, vera, vilanova, scheduled):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title='=HYPERLINK("http://evil.example")')
    (row,) = read_csv(export(client_for(vera), "agenda:export_csv", vilanova))
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'


def test_the_csv_export_for_spanish_excel_uses_semicolons(client_for, vera, vilanova, scheduled):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title="Uno; dos")
    response = export(client_for(vera), "agenda:export_csv", vilanova, separator="semicolon")
    (row,) = read_csv(response, delimiter=";")
    assert row["title"] == "Uno; dos"


@pytest.mark.parametrize("name", ["agenda:export_ics", "agenda:export_csv"])
def test_an_outsider_gets_404(client_for, oscar, vilanova, name):
    assert export(client_for(oscar), name, vilanova).status_code == 404
