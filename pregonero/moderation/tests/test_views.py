"""Moderation screens: the Moderate control in the conversation, the form that demands a rule,
the register with its filters and CSV export, reversal and appeals, the admins' pages; roles
and other organisations kept out."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.moderation import services
from pregonero.moderation.models import Action, Decision, NoticeTemplate, Outcome, RuleBook
from pregonero.moderation.tests import fakes
from pregonero.moderation.tests.conftest import store

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"moderation:{name}", args=[organisation.slug, *args])


def test_the_conversation_offers_moderate_to_editors_and_not_to_readers(
    client_for, ana, vera, vilanova, insult
):
    page = reverse("inbox:detail", args=[vilanova.slug, insult.conversation_id])
    assert url("moderate", vilanova, insult.pk) in client_for(ana).get(page).content.decode()
    assert url("moderate", vilanova, insult.pk) not in client_for(vera).get(page).content.decode()


def test_hiding_asks_for_a_rule_and_lands_in_the_register(client_for, ana, vilanova, insult, respectful):
    client = client_for(ana)
    form = client.get(url("moderate", vilanova, insult.pk)).content.decode()
    # The organisation's rules are written in its own languages (Spanish first).
    assert "R2 · Respeto" in form and "Hide the message" in form
    refused = client.post(url("moderate", vilanova, insult.pk), {"action": "hide", "notice_language": "ca"})
    assert refused.status_code == 400 and not Decision.objects.exists() and fakes.CALLS == []

    done = client.post(
        url("moderate", vilanova, insult.pk),
        {"action": "hide", "rule": respectful.pk, "days": "30", "notice_language": "ca"},
    )
    decision = Decision.objects.get()
    assert done.status_code == 302 and done["Location"] == url("decision", vilanova, decision.pk)
    assert decision.expires_at is not None and fakes.CALLS == [("hide", "m1", "42", "")]
    register = client.get(url("register", vilanova)).content.decode()
    assert "@maria@fake.example" in register and "R2 (v1)" in register and "In effect" in register


def test_without_published_rules_nothing_can_be_moderated(client_for, ana, vilanova, insult):
    page = client_for(ana).get(url("moderate", vilanova, insult.pk)).content.decode()
    assert "has not published participation rules yet" in page
    assert "Record and carry out" not in page


@pytest.mark.parametrize("persona", ["vera", "carles"])
def test_readers_and_contributors_cannot_moderate_or_read_the_register(
    request, client_for, vilanova, insult, respectful, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url("moderate", vilanova, insult.pk)).status_code == 403
    posted = client.post(url("moderate", vilanova, insult.pk), {"action": "hide", "rule": respectful.pk})
    assert posted.status_code == 403 and not Decision.objects.exists()
    assert client.get(url("register", vilanova)).status_code == 403


def test_another_organisation_gets_404(client_for, ana, oscar, vilanova, altea, insult, respectful):
    decision = services.moderate(insult, action=Action.HIDE, rule=respectful, actor=ana)
    client = client_for(oscar)
    assert client.get(url("moderate", vilanova, insult.pk)).status_code == 404
    assert client.get(url("decision", vilanova, decision.pk)).status_code == 404
    assert client.get(url("export_csv", vilanova)).status_code == 404
    # Through their own organisation's address, vilanova's rows do not exist.
    assert client.get(url("moderate", altea, insult.pk)).status_code == 404
    assert client.get(url("decision", altea, decision.pk)).status_code == 404
    assert client.post(url("reverse", altea, decision.pk), {"reverse-note": "x"}).status_code == 404


def test_the_register_filters_by_rule_action_and_state(
    client_for, ana, alba, vilanova, channel, insult, rules
):
    spam = store(channel, "m2", "Compra ara!", author="7", handle="@venedor@fake.example")
    hidden = services.moderate(insult, action=Action.HIDE, rule=rules.rules.get(code="R2"), actor=ana)
    services.moderate(spam, action=Action.BLOCK, rule=rules.rules.get(code="R6"), actor=ana)
    services.reverse(hidden, actor=ana)
    client = client_for(ana)
    by_rule = client.get(url("register", vilanova), {"rule": "r6"}).content.decode()
    assert "@venedor@fake.example" in by_rule and "@maria@fake.example" not in by_rule
    reversed_only = client.get(url("register", vilanova), {"state": "reversed"}).content.decode()
    assert "1 decision." in reversed_only and "@maria@fake.example" in reversed_only
    unhides = client.get(url("register", vilanova), {"action": "unhide"}).content.decode()
    assert "1 decision." in unhides and "reverses #" in unhides


def test_the_csv_export_keeps_citizen_text_from_running_as_a_formula(
    client_for, ana, vilanova, channel, respectful
):
    nasty = store(
        channel, "m9", '=HYPERLINK("http://evil.example","clic")', author="5", handle="@x@fake.example"
    )
    services.moderate(nasty, action=Action.DELETE, rule=respectful, actor=ana, note="-1 punt")
    response = client_for(ana).get(url("export_csv", vilanova))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["message_text"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows[0]["note"] == "'-1 punt" and rows[0]["rule"] == "R2" and rows[0]["rules_version"] == "1"
    assert AuditEntry.objects.filter(action="moderation.register_exported").exists()


def test_a_decision_is_reversed_and_an_appeal_recorded_from_its_page(
    client_for, ana, pau, vilanova, insult, respectful
):
    decision = services.moderate(insult, action=Action.BLOCK, rule=respectful, actor=ana)
    client = client_for(ana)
    page = client.get(url("decision", vilanova, decision.pk)).content.decode()
    assert "Sou uns inútils i uns lladres, tots." in page and "Reverse the decision" in page
    appealed = client.post(url("appeal", vilanova, decision.pk), {"appeal-text": "Em penedisc."})
    assert appealed.status_code == 302 and decision.appeals.get().text == "Em penedisc."
    appeal = decision.appeals.get()
    decided = client_for(pau).post(
        url("appeal_decide", vilanova, appeal.pk),
        {"decide-outcome": "granted", "decide-note": "Primera vegada."},
    )
    assert decided.status_code == 302
    decision.refresh_from_db()
    assert decision.reversal().action == Action.UNBLOCK
    assert fakes.CALLS[-1][0] == "unblock"


def test_a_failed_network_call_is_shown_where_the_person_works(client_for, ana, vilanova, insult, respectful):
    from pregonero.channels.connectors.base import ConnectorError

    fakes.FAIL["hide"] = ConnectorError("The network refused.", permanent=True)
    response = client_for(ana).post(
        url("moderate", vilanova, insult.pk),
        {"action": "hide", "rule": respectful.pk, "notice_language": "ca"},
        follow=True,
    )
    page = response.content.decode()
    assert "did not carry it out" in page and "The network refused." in page
    assert Decision.objects.get().network_outcome == Outcome.FAILED


def test_admins_publish_rules_as_new_versions_and_editors_cannot(client_for, alba, ana, vilanova):
    assert client_for(ana).get(url("rules", vilanova)).status_code == 403
    client = client_for(alba)
    assert client.post(url("rules_start", vilanova)).status_code == 302
    assert RuleBook.objects.get().rules.count() == 6
    changed = client.post(
        url("rules", vilanova),
        {
            "code": "R2",
            "title_es": "Respeto mutuo",
            "text_es": "Sin insultos ni amenazas.",
            "title_ca": "Respecte",
        },
    )
    assert changed.status_code == 302
    first, second = RuleBook.objects.order_by("version")
    assert first.rules.get(code="R2").titles["es"] == "Respeto"
    assert second.rules.get(code="R2").titles == {"es": "Respeto mutuo", "ca": "Respecte"}
    assert client.post(url("rule_remove", vilanova, "R6")).status_code == 302
    assert not RuleBook.objects.get(version=3).rules.filter(code="R6").exists()
    assert AuditEntry.objects.filter(action="moderation.rules_published").count() == 3


def test_admins_keep_notice_templates(client_for, alba, ana, vilanova):
    assert client_for(ana).get(url("notices", vilanova)).status_code == 403
    client = client_for(alba)
    saved = client.post(
        url("notices", vilanova), {"name": "Amagat", "text_es": "Ocultado por la norma {rule}."}
    )
    assert saved.status_code == 302
    template = NoticeTemplate.objects.get()
    assert template.texts == {"es": "Ocultado por la norma {rule}."}
    assert client.post(url("notice_remove", vilanova, template.pk)).status_code == 302
    assert not NoticeTemplate.objects.exists()


def test_the_menu_leads_editors_to_the_register_and_not_readers(client_for, ana, vera, vilanova):
    register = url("register", vilanova)
    dashboard = reverse("inbox:list", args=[vilanova.slug])
    assert f'href="{register}"' in client_for(ana).get(dashboard).content.decode()
    assert f'href="{register}"' not in client_for(vera).get(dashboard).content.decode()


def test_a_deletion_with_an_end_date_is_refused_on_the_form(client_for, ana, vilanova, insult, respectful):
    response = client_for(ana).post(
        url("moderate", vilanova, insult.pk),
        {"action": "delete", "rule": respectful.pk, "days": "3", "notice_language": "ca"},
    )
    assert response.status_code == 400
    assert "A deletion cannot be lifted" in response.content.decode()
    assert not Decision.objects.exists() and fakes.CALLS == []
