"""In headless Chromium: a Spanish query finds a citizen's Valencian comment on a published post,
the record opens in its conversation with its proof, and both pages pass the WCAG 2.1 AA audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.archive import services
from pregonero.archive.models import Direction, Kind
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Quan obriran l'aparcament nou de la plaça? <script>alert(1)</script>"


def test_a_spanish_query_finds_the_valencian_comment_and_opens_its_context(visit, ana, vilanova):
    services.append(
        vilanova,
        Kind.POST_PUBLISHED,
        source=("publishing.publication", 1),
        text="Obres a la plaça Major a partir de dilluns.",
        direction=Direction.OUT,
        language="ca",
        post_ref=1,
    )
    comment = services.append(
        vilanova,
        Kind.MESSAGE_RECEIVED,
        source=("inbox.message", 1),
        text=COMMENT,
        direction=Direction.IN,
        author="Veí (@vei@xarxa.example)",
        language="ca",
        conversation_ref=3,
    )
    services.append(
        vilanova,
        Kind.MESSAGE_SENT,
        source=("inbox.message", 2),
        text="Al maig, segons el calendari d'obres.",
        direction=Direction.OUT,
        language="ca",
        conversation_ref=3,
    )
    sign_in_with_an_authenticator(visit, ana, vilanova)
    page = visit.go(reverse("archive:search", args=[vilanova.slug]))
    assert visit.accessibility_violations() == []
    page.locator("#id_q").fill("aparcamientos plaza")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/archive/?*")
    marks = page.locator("mark").all_inner_texts()
    assert "aparcament" in marks and "plaça" in marks
    assert "<script>alert(1)</script>" in page.locator(".archive-results").inner_text()
    assert visit.accessibility_violations() == []
    visit.screenshot("archive-search")

    page.locator(".archive-results a").first.click()
    page.wait_for_url(f"**/archive/{comment.seq}/*")
    assert comment.hash in page.content()
    assert "Al maig, segons el calendari d'obres." in page.locator(".archive-context").inner_text()
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
    visit.screenshot("archive-record")
