"""The compliance screens in headless Chromium: enter an election, tune the rules, review held posts,
record a removal order.

Every page passes the axe-core WCAG 2.1 AA audit and loads nothing from another host.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pregonero.compliance import rulesettings
from pregonero.compliance.models import Election, ElectionReview, RemovalOrder, ReviewStatus
from pregonero.compliance.tests.factories import schedule_post_fixture, today  # noqa: F401 (fixture)
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.publishing.models import PublicationState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(name: str, organisation, *args) -> str:
    return reverse(f"compliance:{name}", args=[organisation.slug, *args])


def test_an_admin_enters_an_open_election_and_an_approver_releases_the_held_post(
    visit, chromium, live_server, schedule_post, vilanova, alba, pau
):
    post = schedule_post(2)
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(f"/o/{vilanova.slug}/")
    page.get_by_role("link", name="Elections and checks").click()
    page.wait_for_url(f"**{url('overview', vilanova)}")
    assert visit.accessibility_violations() == []

    page.get_by_role("link", name="Elections", exact=True).click()
    page.get_by_role("link", name="New election").click()
    page.wait_for_url(f"**{url('election_new', vilanova)}")
    assert visit.accessibility_violations() == []
    page.get_by_label("Name").fill("Elecciones generales")
    page.get_by_label("Kind").select_option("general")
    page.get_by_label("Call date").fill(today(vilanova).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{url('elections', vilanova)}")
    expect(page.locator(".messages")).to_contain_text("1 scheduled post is held for review")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody th")).to_contain_text("Elecciones generales")
    assert Election.objects.get().created_by == alba
    assert visit.accessibility_violations() == []
    visit.screenshot("compliance-elections")

    # Pau, in a browser of his own, releases the held post from the election review.
    reviewer = visit.__class__(chromium, live_server.url)
    try:
        sign_in_with_an_authenticator(reviewer, pau, vilanova)
        page = reviewer.go(url("review", vilanova))
        review = ElectionReview.objects.get()
        card = page.locator(f"article[aria-labelledby=review-{review.pk}-title]")
        expect(card).to_contain_text(post.title)
        assert reviewer.accessibility_violations() == []
        card.get_by_label("Note").fill("Información de servicio")
        card.get_by_role("button", name="Release to the queue").click()
        page.wait_for_url(f"**{url('review', vilanova)}")
        expect(page.locator("section[aria-labelledby=decided-heading] tbody tr")).to_have_count(1)
        assert reviewer.accessibility_violations() == []
        review.refresh_from_db()
        assert review.status == ReviewStatus.RELEASED
        assert set(post.publications.values_list("state", flat=True)) == {PublicationState.QUEUED}
        assert reviewer.foreign_requests == []
    finally:
        reviewer.close()
    assert visit.foreign_requests == []


def test_an_admin_switches_a_rule_off_applies_a_profile_and_sees_the_history(visit, vilanova, alba):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(url("settings", vilanova))
    expect(page.locator("tbody th[scope=row]").first).to_have_text("ELEC-1")
    assert visit.accessibility_violations() == []

    page.get_by_label("A11Y-6 on").uncheck()
    page.get_by_label("Severity of NEUT-1").select_option("block")
    page.get_by_label("Party names, acronyms and slogans (NEUT-4)").fill("PSPV\nCompromís")
    page.get_by_label("What this change is for").fill("Campaña 2027")
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url(f"**{url('settings', vilanova)}")
    expect(page.locator(".messages")).to_contain_text("Version 1 of the rule settings is in force.")
    version = rulesettings.latest_version(vilanova)
    assert (version.disabled, version.severity, version.party_terms) == (
        ["A11Y-6"],
        {"NEUT-1": "block"},
        ["PSPV", "Compromís"],
    )

    page.get_by_role("combobox", name="Profile").select_option("comunitat-valenciana")
    page.get_by_role("button", name="Apply profile").click()
    page.wait_for_url(f"**{url('settings', vilanova)}")
    history = page.locator("section[aria-labelledby=history-heading] tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Profile applied: Comunitat Valenciana")
    expect(history.last).to_contain_text("Campaña 2027")
    # The form shows the version in force: A11Y-6 still off, the profile's acronyms in.
    expect(page.get_by_label("A11Y-6 on")).not_to_be_checked()
    expect(page.get_by_label("Acronyms everyone here knows (A11Y-5)")).to_contain_text("GVA")
    assert visit.accessibility_violations() == []
    visit.screenshot("compliance-check-rules")
    assert visit.foreign_requests == []


def test_an_approver_records_a_removal_order_with_its_evidence_and_complies(
    visit, vilanova, pau, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sign_in_with_an_authenticator(visit, pau, vilanova)
    page = visit.go(url("removals", vilanova))
    assert visit.accessibility_violations() == []
    page.get_by_role("link", name="Record an order").click()
    page.wait_for_url(f"**{url('removal_new', vilanova)}")
    assert visit.accessibility_violations() == []
    received = (timezone.now() - timedelta(hours=1)).astimezone(ZoneInfo(vilanova.time_zone))
    page.get_by_label("Electoral board").fill("Junta Electoral de Zona de València")
    page.get_by_label("Received at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Content concerned").fill("Vídeo de balance en Instagram")
    page.get_by_role("button", name="Record the order").click()
    order = RemovalOrder.objects.get()
    page.wait_for_url(f"**{url('removal_detail', vilanova, order.pk)}")
    expect(page.locator(".countdown")).to_contain_text("left")
    assert visit.accessibility_violations() == []

    page.get_by_label("File (PDF or image)").set_input_files(
        {"name": "orden.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_label("What it shows").fill("La orden de la Junta")
    page.get_by_role("button", name="Add to the evidence pack").click()
    page.wait_for_url(f"**{url('removal_detail', vilanova, order.pk)}")
    expect(page.get_by_role("link", name="La orden de la Junta")).to_have_count(1)

    page.get_by_label("Compliance note").fill("Vídeo retirado de Instagram")
    page.get_by_role("button", name="Mark as complied with").click()
    page.wait_for_url(f"**{url('removal_detail', vilanova, order.pk)}")
    expect(page.locator(".countdown")).to_contain_text("in time")
    assert visit.accessibility_violations() == []
    visit.screenshot("compliance-removal-order")
    order.refresh_from_db()
    assert order.complied_by == pau
    assert visit.foreign_requests == []
