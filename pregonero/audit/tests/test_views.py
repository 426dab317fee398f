from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.audit import services as audit
from pregonero.audit.export import safe_cell
from pregonero.audit.models import AuditEntry, Outcome

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def get_list(client, organisation, **filters):
    return client.get(reverse("audit:list", args=[organisation.slug]), filters)


def export(client, organisation, **filters) -> tuple[str, list[dict]]:
    response = client.get(reverse("audit:export_csv", args=[organisation.slug]), filters)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def shown(response) -> list[str]:
    return [entry.object_repr for entry in response.context["entries"]]


def test_an_approver_sees_the_organisations_entries(client_for, pau, vilanova):
    audit.record("post.approved", actor=pau, organisation=vilanova, object_repr="Bando de fiestas")
    assert "Bando de fiestas" in shown(get_list(client_for(pau), vilanova))


def test_entries_of_other_organisations_are_not_shown(client_for, pau, vilanova, altea, oscar):
    audit.record("post.approved", actor=oscar, organisation=altea, object_repr="Altea news")
    assert "Altea news" not in shown(get_list(client_for(pau), vilanova))


def test_sign_ins_of_members_are_shown(client_for, pau, ana, vilanova):
    audit.record("auth.login", actor=ana, object_repr=ana.email)
    assert ana.email in shown(get_list(client_for(pau), vilanova))


def test_failed_sign_ins_for_a_members_address_are_shown(client_for, pau, ana, vilanova):
    audit.record("auth.login", actor_label=ana.email, outcome=Outcome.FAILURE, object_repr="bad password")
    assert "bad password" in shown(get_list(client_for(pau), vilanova))


def test_sign_ins_of_people_from_elsewhere_are_not_shown(client_for, pau, oscar, vilanova):
    audit.record("auth.login", actor=oscar, object_repr=oscar.email)
    assert oscar.email not in shown(get_list(client_for(pau), vilanova))


def test_it_filters_by_action(client_for, pau, vilanova):
    audit.record("post.approved", actor=pau, organisation=vilanova, object_repr="A")
    audit.record("post.rejected", actor=pau, organisation=vilanova, object_repr="B")
    assert shown(get_list(client_for(pau), vilanova, action="post.rejected")) == ["B"]


def test_the_action_filter_offers_the_actions_in_the_log(client_for, pau, vilanova):
    audit.record("custom.happened", actor=pau, organisation=vilanova)
    audit.record("auth.login", actor=pau)
    form = get_list(client_for(pau), vilanova).context["form"]
    choices = form.fields["action"].choices
    # Sorted by what people read; actions without a name show their code.
    assert [(value, str(label)) for value, label in choices[1:]] == [
        ("auth.login", "auth.login"),
        ("custom.happened", "custom.happened"),
        ("organisation.created", "Organisation created"),
    ]


def test_it_filters_by_person_name_or_address(client_for, pau, ana, vilanova):
    audit.record("post.edited", actor=ana, organisation=vilanova, object_repr="by Ana")
    audit.record("post.edited", actor=pau, organisation=vilanova, object_repr="by Pau")
    assert shown(get_list(client_for(pau), vilanova, person="editora")) == ["by Ana"]


def test_it_filters_by_outcome(client_for, pau, vilanova):
    audit.record("post.published", organisation=vilanova, object_repr="ok")
    audit.record("post.published", organisation=vilanova, object_repr="ko", outcome=Outcome.FAILURE)
    assert shown(get_list(client_for(pau), vilanova, outcome="failure")) == ["ko"]


def test_it_filters_by_text(client_for, pau, vilanova):
    audit.record("post.edited", organisation=vilanova, object_repr="Mercado medieval")
    audit.record("post.edited", organisation=vilanova, object_repr="Cabalgata")
    assert shown(get_list(client_for(pau), vilanova, q="MEDIEVAL")) == ["Mercado medieval"]


def test_dates_are_days_in_the_organisations_time_zone(client_for, pau, vilanova, monkeypatch):
    # 23:30 UTC on 28 February is already 1 March in Madrid.
    moment = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    audit.record("post.edited", organisation=vilanova, object_repr="Madrid March")
    monkeypatch.undo()
    client = client_for(pau)
    assert shown(get_list(client, vilanova, date_from="2026-03-01", date_to="2026-03-01")) == ["Madrid March"]
    assert shown(get_list(client, vilanova, date_to="2026-02-28")) == []


def test_an_end_date_before_the_start_is_an_error(client_for, pau, vilanova):
    response = get_list(client_for(pau), vilanova, date_from="2026-03-02", date_to="2026-03-01")
    assert response.context["form"].errors["date_to"]


def test_it_shows_fifty_entries_a_page_and_keeps_the_filters_in_page_links(client_for, pau, vilanova):
    for number in range(51):
        audit.record("post.edited", organisation=vilanova, object_repr=f"post {number}")
    response = get_list(client_for(pau), vilanova, action="post.edited")
    assert len(response.context["entries"]) == 50
    assert "?action=post.edited&amp;page=2" in response.text


def test_the_detail_shows_changes_and_client_details(client_for, pau, vilanova, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox/140")
    entry = audit.record(
        "department.updated",
        organisation=vilanova,
        changes={"name": ["Urbanismo", "Urbanisme"]},
        request=request,
    )
    response = client_for(pau).get(reverse("audit:detail", args=[vilanova.slug, entry.pk]))
    assert response.context["changes"] == [{"field": "name", "before": "Urbanismo", "after": "Urbanisme"}]
    assert "192.0.2.7" in response.text
    assert "Firefox/140" in response.text


def test_the_detail_of_another_organisations_entry_is_404(client_for, pau, vilanova, altea):
    entry = audit.record("post.edited", organisation=altea)
    response = client_for(pau).get(reverse("audit:detail", args=[vilanova.slug, entry.pk]))
    assert response.status_code == 404


def test_the_csv_has_the_columns_and_a_byte_order_mark(client_for, pau, vilanova):
    audit.record("post.approved", actor=pau, organisation=vilanova, object_repr="Bando")
    text, rows = export(client_for(pau), vilanova)
    assert text.startswith("\ufefftime,chain,seq,person,action,object_type,object_id,object,outcome,")
    row = next(row for row in rows if row["action"] == "post.approved")
    assert (row["person"], row["object"], row["chain"]) == (pau.email, "Bando", f"org:{vilanova.pk}")
    assert dt.datetime.fromisoformat(row["time"]).utcoffset() is not None


def test_the_csv_applies_the_filters(client_for, pau, vilanova):
    audit.record("post.approved", organisation=vilanova, object_repr="yes")
    audit.record("post.rejected", organisation=vilanova, object_repr="no")
    _text, rows = export(client_for(pau), vilanova, action="post.rejected")
    assert [row["object"] for row in rows] == ["no"]


def test_the_csv_neutralises_formulas(client_for, pau, vilanova):
    audit.record("comment.hidden", organisation=vilanova, object_repr='=HYPERLINK("http://evil","x")')
    _text, rows = export(client_for(pau), vilanova, action="comment.hidden")
    assert rows[0]["object"] == '\'=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize("value", ["=1+1", "+34 600", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_every_formula_trigger_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Bando", "", "1=1", "'quoted"])
def test_plain_text_is_left_alone(value):
    assert safe_cell(value) == value


def test_exporting_is_audited_with_the_filters(client_for, pau, vilanova):
    audit.record("post.approved", organisation=vilanova, object_repr="Bando")
    export(client_for(pau), vilanova, action="post.approved", q="Bando")
    entry = AuditEntry.objects.get(action="audit.exported")
    assert (entry.organisation, entry.actor) == (vilanova, pau)
    assert entry.details["filters"] == {"action": "post.approved", "q": "Bando"}


def test_an_export_with_invalid_filters_is_refused_and_not_recorded(client_for, pau, vilanova):
    response = client_for(pau).get(reverse("audit:export_csv", args=[vilanova.slug]), {"date_from": "nope"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="audit.exported").exists()


def test_actions_are_shown_by_name_and_unknown_ones_by_code(client_for, vilanova, alba):
    from pregonero.audit import services as audit

    audit.record("department.created", actor=alba, organisation=vilanova)
    audit.record("something.new", actor=alba, organisation=vilanova)
    page = client_for(alba).get(reverse("audit:list", args=[vilanova.slug])).content.decode()
    assert "Department created" in page
    assert "something.new" in page
