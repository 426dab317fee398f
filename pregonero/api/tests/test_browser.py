"""The API screens in headless Chromium: WCAG 2.1 AA audit and nothing loaded from elsewhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.api import webhooks
from pregonero.api.models import WebhookDelivery
from pregonero.api.tests.conftest import make_token
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_reference_passes_the_wcag_audit(visit):
    page = visit.go(reverse("api_docs"))
    assert "/api/v1/organisations/{organisation}/posts" in page.locator("main").inner_text()
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_creating_a_token_shows_it_once_and_passes_the_audit(visit, alba, vilanova):
    make_token(vilanova, alba)
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("api_admin:tokens", args=[vilanova.slug]))
    page.fill("input[name=name]", "Web municipal")
    page.select_option("select[name=role]", "editor")
    page.select_option("select[name=scope_posts]", "write")
    page.click("button[type=submit]:has-text('Create token'), button[type=submit]:has-text('Crear')")
    assert page.input_value("#new-token").startswith("pgr_")
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_the_webhook_pages_pass_the_audit(visit, alba, vilanova):
    endpoint, _secret = webhooks.create_endpoint(
        vilanova, actor=alba, name="CMS", url="https://cms.vilanova.example/hook", events=["post.published"]
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="post.published",
        payload={},
        state="retrying",
        attempts=1,
        response_status=500,
        last_error="The network is busy or unavailable; Pregonero will try again.\nHTTP 500",
    )
    sign_in_with_an_authenticator(visit, alba, vilanova)
    visit.go(reverse("api_admin:webhooks", args=[vilanova.slug]))
    assert visit.accessibility_violations() == []
    visit.go(reverse("api_admin:webhook", args=[vilanova.slug, endpoint.pk]))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
