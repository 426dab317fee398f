"""Importing posts from CSV: the checks of every row, all or nothing, what spreadsheets save."""

import base64
import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregonero.agenda import importing
from pregonero.agenda.tests.conftest import AUTUMN, MADRID, NEXT_YEAR, SPRING, at
from pregonero.audit.models import AuditEntry
from pregonero.publishing.models import Post, PostState

pytestmark = pytest.mark.django_db

HEADER = ["date", "time", "category", "department", "channels", "tags", "title", "text_es", "text_ca"]


def row(**values) -> dict:
    base = {
        "date": f"{NEXT_YEAR}-06-15",
        "time": "10:00",
        "category": "agenda",
        "department": "Urbanismo",
        "channels": "Fil",
        "tags": "fiestas|verano",
        "title": "Concierto",
        "text_es": "Concierto en la plaza.",
        "text_ca": "Concert a la plaça.",
    }
    return {**base, **values}


def csv_text(rows, delimiter=",", header=HEADER, newline="\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return buffer.getvalue()


@pytest.fixture
def check(vilanova, threads, plain, urbanismo):
    return lambda text: importing.check(vilanova, text)


def errors_of(report) -> list[str]:
    return report.errors + [error for line in report.rows for error in line.errors]


def test_a_good_file_passes_every_check(check):
    report = check(csv_text([row(), row(date=f"15/07/{NEXT_YEAR}", time="9:30", channels="Fil | Pla")]))
    assert errors_of(report) == []
    assert report.ok
    first, second = (line.planned for line in report.rows)
    assert first.tags == ["fiestas", "verano"]
    assert second.local.isoformat() == f"{NEXT_YEAR}-07-15T09:30:00"
    assert [channel.name for channel in second.channels] == ["Fil", "Pla"]


def test_excel_in_spanish_bom_semicolons_and_windows_line_ends_are_read(check):
    text = "\ufeff" + csv_text([row(title="Uno, dos")], delimiter=";", newline="\r\n")
    report = check(importing.decode(text.encode("utf-8")))
    assert report.ok, errors_of(report)
    assert report.rows[0].cells["title"] == "Uno, dos"
    assert report.columns[0] == "date"


def test_empty_columns_a_spreadsheet_adds_after_the_last_are_ignored(check):
    text = csv_text([row()], delimiter=";").replace("\n", ";;\n")
    report = check(text)
    assert report.ok, errors_of(report)


def test_the_windows_code_page_is_read_when_the_file_is_not_utf8(check):
    data = csv_text([row(text_ca="Concert a la plaça.")], delimiter=";").encode("cp1252")
    report = check(importing.decode(data))
    assert report.ok
    assert report.rows[0].planned.texts["ca"] == "Concert a la plaça."


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"date": "31/02/2027"}, "date: “31/02/2027” is not a date"),
        ({"date": "mañana"}, "is not a date"),
        ({"time": "25:00"}, "time: “25:00” is not a time"),
        ({"date": "2001-01-01"}, "has already passed"),
        ({"date": SPRING.isoformat(), "time": "02:30"}, "does not exist"),
        ({"date": AUTUMN.isoformat(), "time": "02:30"}, "happens twice"),
        ({"channels": "Instagram"}, "there is no active channel “Instagram”"),
        ({"department": "Hacienda"}, "there is no department “Hacienda”"),
        ({"category": "propaganda"}, "“propaganda” is not a category"),
        ({"text_ca": ""}, "text_ca: the Catalan / Valencian text is missing"),
        ({"channels": "Pla", "text_es": "x" * 80}, "text_es: too long for Pla"),
        ({"title": "t" * 201}, "at most 200"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_column(check, values, expected):
    report = check(csv_text([row(), row(**values)]))
    assert not report.ok
    assert report.rows[0].errors == []
    assert report.rows[1].line == 3
    assert any(expected in error for error in report.rows[1].errors), report.rows[1].errors


def test_an_ambiguous_time_is_settled_by_its_utc_offset(check):
    header = [*HEADER, "utc_offset"]
    text = csv_text([row(date=AUTUMN.isoformat(), time="02:30", utc_offset="+01:00")], header=header)
    report = check(text)
    assert report.ok, errors_of(report)
    assert report.rows[0].planned.fold == 1


def test_an_offset_that_does_not_match_the_day_is_refused(check):
    text = csv_text([row(utc_offset="+01:00")], header=[*HEADER, "utc_offset"])
    assert "is not at UTC+01:00" in " ".join(check(text).rows[0].errors)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([c for c in HEADER if c != "date"], "The column “date” is missing."),
        ([c for c in HEADER if c != "text_ca"], "The column “text_ca” is missing"),
        ([*HEADER, "text_eu"], "“text_eu” is for a language that is not official here"),
        ([*HEADER, "colour"], "“colour” is not one Pregonero knows"),
    ],
)
def test_a_bad_header_is_reported_and_no_row_is_checked(check, header, expected):
    report = check(csv_text([row()], header=header))
    assert any(expected in error for error in report.errors), report.errors
    assert not report.ok


def test_an_empty_file_and_a_header_alone_are_refused(check):
    assert check("").errors == ["The file is empty."]
    assert "The file has no rows below its header." in check(csv_text([])).errors


def test_importing_creates_drafts_of_the_editor_with_planned_times_and_an_audit(
    vilanova, ana, threads, urbanismo
):
    posts = importing.import_posts(
        vilanova, actor=ana, text=csv_text([row(), row(time="18:45", title="Segundo")])
    )
    assert [post.title for post in posts] == ["Concierto", "Segundo"]
    for post in posts:
        post.refresh_from_db()
        assert post.state == PostState.DRAFT
        assert post.author == ana
        assert post.department == urbanismo
        assert not post.publications.exists()
    assert posts[1].scheduled_at.astimezone(MADRID).strftime("%Y-%m-%d %H:%M") == f"{NEXT_YEAR}-06-15 18:45"
    assert posts[0].tags == ["fiestas", "verano"]
    assert dict(posts[0].texts.values_list("language", "body"))["ca"] == "Concert a la plaça."
    entry = AuditEntry.objects.get(action="agenda.posts_imported")
    assert entry.details["rows"] == 2
    assert AuditEntry.objects.filter(action="post.created").count() == 2


def test_one_bad_row_and_nothing_is_imported(vilanova, ana, threads, urbanismo):
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_posts(vilanova, actor=ana, text=csv_text([row(), row(channels="Nope")]))
    assert refused.value.report.error_count == 1
    assert not Post.objects.exists()


def upload(client, organisation, text: str, encoding="utf-8"):
    data = SimpleUploadedFile("plan.csv", text.encode(encoding), content_type="text/csv")
    return client.post(reverse("agenda:import", args=[organisation.slug]), {"file": data})


def test_the_preview_lists_errors_and_offers_no_import(client_for, ana, vilanova, threads, urbanismo):
    response = upload(client_for(ana), vilanova, csv_text([row(), row(date="2027-13-01")]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing can be imported: there is 1 error." in html
    assert "is not a date" in html
    assert 'name="content"' not in html
    assert not Post.objects.exists()


def test_preview_then_confirm_imports_every_row(client_for, ana, vilanova, threads, urbanismo):
    client = client_for(ana)
    text = "\ufeff" + csv_text([row(), row(title="Dos")], delimiter=";", newline="\r\n")
    preview = upload(client, vilanova, text)
    assert "All 2 rows are correct. Nothing has been imported yet." in preview.content.decode()
    assert not Post.objects.exists()
    content = preview.context["confirm"]["content"].value()
    done = client.post(reverse("agenda:import", args=[vilanova.slug]), {"content": content})
    assert done.status_code == 302
    assert reverse("agenda:list", args=[vilanova.slug]) in done["Location"]
    assert sorted(Post.objects.values_list("title", flat=True)) == ["Concierto", "Dos"]


def test_a_tampered_confirmation_is_checked_again(client_for, ana, vilanova, threads, urbanismo):
    bad = base64.b64encode(csv_text([row(channels="Nope")]).encode()).decode()
    response = client_for(ana).post(reverse("agenda:import", args=[vilanova.slug]), {"content": bad})
    assert response.status_code == 200
    assert "there is no active channel" in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize("persona", ["vera", "carles"])
def test_readers_and_contributors_cannot_import(request, client_for, vilanova, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("agenda:import", args=[vilanova.slug])).status_code == 403
    assert upload(client, vilanova, csv_text([row()])).status_code == 403


def test_the_template_has_the_columns_of_the_organisation_and_imports_once_edited(
    client_for, ana, vilanova, threads, urbanismo
):
    response = client_for(ana).get(
        reverse("agenda:import_template", args=[vilanova.slug]), {"separator": "semicolon"}
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == importing.template_columns(vilanova)
    assert rows[0][-2:] == ["text_es", "text_ca"]
    report = importing.check(vilanova, text)
    assert report.ok, errors_of(report)


def test_an_exported_calendar_imports_back_as_new_drafts(
    client_for, ana, vilanova, threads, urbanismo, scheduled
):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title="-Guion inicial")
    response = client_for(ana).get(
        reverse("agenda:export_csv", args=[vilanova.slug]),
        {"date": f"{NEXT_YEAR}-06-01", "separator": "semicolon"},
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    report = importing.check(vilanova, text)
    assert report.ok, errors_of(report)
    assert report.rows[0].planned.title == "-Guion inicial"
    assert report.rows[0].planned.local == at(date(NEXT_YEAR, 6, 15), 10)
