"""The issue's "done when" for LANG-3 in headless Chromium: the Valencian version is drafted by
Apertium, flagged until a person reviews it, and the pages pass the WCAG 2.1 AA audit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAG = "machine translated — review before publishing"


def test_an_editor_drafts_the_valencian_version_reviews_it_and_confirms_it(visit, vilanova, ana, make_post):
    vilanova.region = "ES-VC"
    vilanova.save(update_fields=["region"])
    post = make_post(ana, texts={"es": "La biblioteca abre hoy por la tarde."})
    sign_in_with_an_authenticator(visit, ana, vilanova)

    page = visit.go(reverse("publishing:detail", args=[vilanova.slug, post.pk]))
    page.get_by_role("button", name="Translate from Spanish (Catalan / Valencian)").click()
    expect(page.get_by_text("drafted by machine translation from Spanish")).to_be_visible()
    expect(page.locator("#translation-ca")).to_contain_text(FLAG)
    expect(page.locator("blockquote[lang=ca]")).to_contain_text("La biblioteca obri hui a la vesprada.")
    assert visit.accessibility_violations() == []

    page = visit.go(reverse("publishing:edit", args=[vilanova.slug, post.pk]))
    expect(page.locator("#translation-ca")).to_contain_text(FLAG)
    assert visit.accessibility_violations() == []
    page.get_by_role("button", name="Confirm translation Catalan / Valencian").click()
    expect(page.get_by_text("The Catalan / Valencian translation has been confirmed.")).to_be_visible()
    expect(page.locator("#translation-ca")).not_to_contain_text(FLAG)
    assert visit.foreign_requests == []
