"""In headless Chromium: hiding a comment asks for a rule and lands in the register; every
moderation page passes the WCAG 2.1 AA audit and asks nothing of other hosts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.moderation import services
from pregonero.moderation.models import Action, Decision, NoticeTemplate
from pregonero.moderation.tests import fakes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hiding_a_comment_asks_for_a_rule_and_appears_in_the_register(visit, alba, vilanova, insult, rules):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:detail", args=[vilanova.slug, insult.conversation_id]))
    page.get_by_role("link", name="Moderate the message from @maria@fake.example").click()
    page.get_by_label("Hide the message").check()
    page.get_by_role("button", name="Record and carry out").click()
    # The browser itself asks for the rule (the server refuses it too: test_views).
    assert page.locator("#id_rule").evaluate("element => element.validity.valueMissing")
    assert fakes.CALLS == [] and not Decision.objects.exists()
    visit.screenshot("moderation-rule-required")

    page.get_by_label("Rule broken").select_option(label="R2 · Respeto")
    page.get_by_label("Lift after (days)").fill("30")
    page.get_by_role("button", name="Record and carry out").click()
    page.wait_for_url("**/moderation/decisions/*/")
    assert "carried out on the network" in page.content()
    assert fakes.CALLS == [("hide", "m1", "42", "")]

    page.get_by_role("link", name="Moderation", exact=True).click()
    row = page.locator("tbody tr").first.inner_text()
    assert "@maria@fake.example" in row and "R2 (v1)" in row and "In effect" in row
    visit.screenshot("moderation-register")


@pytest.mark.parametrize("name", ["moderate", "register", "decision", "rules", "notices"])
def test_every_moderation_page_passes_the_wcag_audit(visit, alba, ana, vilanova, insult, rules, name):
    decision = services.moderate(insult, action=Action.BLOCK, rule=rules.rules.get(code="R2"), actor=ana)
    services.record_appeal(decision, actor=ana, text="Em penedisc.")
    NoticeTemplate.objects.create(organisation=vilanova, name="Amagat", texts={"es": "Norma {rule}."})
    arguments = {"moderate": [insult.pk], "decision": [decision.pk]}.get(name, [])
    sign_in_with_an_authenticator(visit, alba, vilanova)
    visit.go(reverse(f"moderation:{name}", args=[vilanova.slug, *arguments]))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
    assert Decision.objects.count() == 1


def test_the_public_rules_page_passes_the_wcag_audit(visit, vilanova, rules):
    visit.go(reverse("participation:rules", args=[vilanova.slug]))
    assert "R6" in visit.page.content()
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
    visit.screenshot("participation-rules")
