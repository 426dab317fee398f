"""The calendar in headless Chromium: WCAG 2.1 AA audit, nothing foreign, drag and keyboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from pregonero.agenda.models import LocalHoliday
from pregonero.agenda.tests.conftest import MADRID, NEXT_YEAR, at
from pregonero.compliance.models import Election
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Monday in October next year: its week has the Valencian (9th) or national (12th) holiday.
WEEK_START = date(NEXT_YEAR, 10, 11) - timedelta(days=date(NEXT_YEAR, 10, 11).weekday())


@pytest.fixture
def october(vilanova, scheduled, make_post, ana):
    """A scheduled post, a planned draft, a local holiday and an election in October next year."""
    LocalHoliday.objects.create(organisation=vilanova, date=WEEK_START + timedelta(days=3), name="Fira")
    post = scheduled(at(WEEK_START + timedelta(days=1), 10), title="Concierto en la plaza")
    draft = make_post(ana, title="Borrador de la feria")
    draft.scheduled_at = at(WEEK_START + timedelta(days=2), 12).replace(tzinfo=MADRID)
    draft.save()
    # Its campaign, reflection day and election day fall in the week shown.
    Election.objects.create(
        organisation=vilanova,
        name="Eleccions a les Corts",
        kind="regional",
        region="ES-VC",
        election_date=WEEK_START + timedelta(days=6),
        created_by=ana,
    )
    return post


def calendar_path(name: str, organisation, day: date) -> str:
    return reverse(name, args=[organisation.slug]) + f"?date={day.isoformat()}"


@pytest.mark.parametrize("name", ["agenda:month", "agenda:week", "agenda:list"])
def test_every_calendar_view_passes_the_wcag_audit(visit, alba, vilanova, october, name):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(calendar_path(name, vilanova, WEEK_START))
    text = page.locator("main").inner_text()
    assert "Concierto en la plaza" in text
    assert "Reflection day" in text
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


@pytest.mark.parametrize("name", ["move", "import", "holidays"])
def test_the_calendar_forms_pass_the_wcag_audit(visit, alba, vilanova, october, name):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    arguments = [vilanova.slug, october.pk] if name == "move" else [vilanova.slug]
    visit.go(reverse(f"agenda:{name}", args=arguments))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_dragging_a_post_to_another_day_moves_it_and_keeps_its_time(visit, alba, vilanova, october):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    path = calendar_path("agenda:week", vilanova, WEEK_START)
    page = visit.go(path)
    target = (WEEK_START + timedelta(days=4)).isoformat()
    page.drag_and_drop(f'[data-move-url*="/{october.pk}/"]', f'td[data-date="{target}"]')
    page.wait_for_selector(".message-success")
    assert page.url == visit.base_url + path
    october.refresh_from_db()
    assert october.scheduled_at.astimezone(MADRID).replace(tzinfo=None) == at(
        WEEK_START + timedelta(days=4), 10
    )
    assert {publication.due_at for publication in october.publications.all()} == {october.scheduled_at}


def test_alt_page_down_and_up_step_through_the_months(visit, vera, vilanova):
    sign_in_with_an_authenticator(visit, vera, vilanova)
    page = visit.go(calendar_path("agenda:month", vilanova, date(NEXT_YEAR, 5, 20)))
    page.keyboard.press("Alt+PageDown")
    page.wait_for_url(f"**date={NEXT_YEAR}-06-01")
    page.keyboard.press("Alt+PageUp")
    page.wait_for_url(f"**date={NEXT_YEAR}-05-01")
