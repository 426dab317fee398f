"""The checks issue's "done when", in headless Chromium.

Ana (editor) writes an achievement post: the live panel warns about neutrality and marks the
words; a national id with a valid check letter blocks as she types, one with a wrong letter does
not. Saved with an image and no description, the post cannot be submitted until the image is
described. Pau (approver) approves it; scheduled inside the campaign of a local election Alba
(admin) entered, it is refused with the article cited; scheduled before the period it goes out
with the neutrality warning.
Every page on the way passes the axe-core WCAG 2.1 AA audit.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pregonero.compliance.tests.elections_now import (  # noqa: F401 (fixture)
    BEFORE_THE_PERIOD,
    CAMPAIGN_DAY,
    hold_election_fixture,
    in_days,
    local_field,
)
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.public.tests.factories import make_channel
from pregonero.publishing.models import Post, PostState
from pregonero.publishing.tests.composing import fake_networks_fixture  # noqa: F401 (fixture: MEDIA_ROOT)
from pregonero.publishing.tests.test_end_to_end import tiny_png
from pregonero.testing.browser import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACHIEVEMENT = "Gracias a la inversión de 2 millones, hemos finalizado las obras de la plaza Mayor."
VALENCIAN = "Dimarts es talla l'aigua a la plaça Major de huit a deu per obres a la xarxa."
VALID_DNI = "12345678Z"
WRONG_DNI = "12345678A"
DESCRIPTION = "La plaza Mayor con el pavimento nuevo."


def url(name: str, organisation, *args) -> str:
    return reverse(f"publishing:{name}", args=[organisation.slug, *args])


@pytest.fixture
def website(vilanova):
    return make_channel(vilanova, "website", "Web de Vilanova")


def test_the_checks_warn_block_and_cite_the_law_from_composer_to_schedule(
    visit, chromium, live_server, vilanova, ana, pau, website, hold_election
):
    hold_election()

    # Ana writes; the live panel shows what the checks find as she pauses.
    sign_in_with_an_authenticator(visit, ana, vilanova)
    page = visit.go(url("new", vilanova))
    page.fill("input[name=title]", "Obras de la plaza Mayor")
    page.check(f"input[name=channels][value='{website.pk}']")
    page.fill("textarea[name=text_ca]", VALENCIAN)
    page.fill("textarea[name=text_es]", ACHIEVEMENT)
    panel = page.locator("#findings-list")
    assert panel.get_attribute("aria-live") == "polite"
    neutrality = panel.locator("li.finding", has_text="NEUT-1").first
    expect(neutrality).to_contain_text("Warning")
    expect(neutrality).to_contain_text("Ley 29/2005 art. 4.1.a")
    expect(page.locator("#preview mark").first).to_have_text("Gracias a la inversión")
    assert visit.accessibility_violations() == []

    page.fill("textarea[name=text_es]", f"{ACHIEVEMENT} Solicitante con DNI {VALID_DNI}.")
    personal = panel.locator("li.finding", has_text="DATA-1")
    expect(personal).to_have_count(1)
    expect(personal).to_contain_text("Blocks publication")
    expect(personal).to_contain_text(VALID_DNI)
    expect(page.locator("#preview mark", has_text=VALID_DNI)).to_have_count(1)
    visit.screenshot("preflight-composer-live-findings")
    page.fill("textarea[name=text_es]", f"{ACHIEVEMENT} Solicitante con DNI {WRONG_DNI}.")
    expect(personal).to_have_count(0)
    expect(panel.locator("li.finding", has_text="NEUT-1").first).to_be_visible()

    page.fill("textarea[name=text_es]", ACHIEVEMENT)
    page.click("#composer button[name=save]")
    page.wait_for_url("**/edit/")
    post = Post.objects.get(organisation=vilanova)

    # An image without a description blocks, in the panel and on submission.
    media_form = page.locator(f"form[action='{url('media_add', vilanova, post.pk)}']")
    media_form.locator("input[name=file]").set_input_files(
        {"name": "plaza.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    media_form.locator("button[type=submit]").click()
    page.wait_for_url("**/edit/")
    expect(page.locator("#findings-list li.finding", has_text="A11Y-1")).to_contain_text("Blocks publication")
    page = visit.go(url("detail", vilanova, post.pk))
    page.click(f"form[action='{url('submit', vilanova, post.pk)}'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("A11Y-1")
    post.refresh_from_db()
    assert post.state == PostState.DRAFT

    [image] = post.media.all()
    page = visit.go(url("media_edit", vilanova, post.pk, image.pk))
    page.fill("textarea[name=description]", DESCRIPTION)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/edit/")
    page = visit.go(url("detail", vilanova, post.pk))
    page.click(f"form[action='{url('submit', vilanova, post.pk)}'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("submitted")
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW

    # Pau approves, then tries the campaign: refused, with the article.
    pau_tab = Visit(chromium, live_server.url)
    try:
        sign_in_with_an_authenticator(pau_tab, pau, vilanova)
        page = pau_tab.go(url("detail", vilanova, post.pk))
        review_form = page.locator(f"form[action='{url('review', vilanova, post.pk)}']")
        review_form.locator("input[name=decision][value=approve]").check()
        review_form.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("approved")

        page = pau_tab.go(url("schedule", vilanova, post.pk))
        page.fill("input[name=when]", local_field(vilanova, in_days(CAMPAIGN_DAY)))
        page.click("main form button[type=submit]")
        errors = page.locator(".form-errors")
        expect(errors).to_contain_text("ELEC-2")
        expect(errors).to_contain_text("LOREG art. 50.2")
        election_block = page.locator("#findings-list li.finding", has_text="ELEC-2").first
        expect(election_block).to_contain_text("Blocks publication")
        expect(election_block.locator("summary")).to_contain_text("Override this block")
        assert pau_tab.accessibility_violations() == []
        pau_tab.screenshot("preflight-schedule-refused-in-campaign")
        post.refresh_from_db()
        assert post.state == PostState.APPROVED

        # Before the period it goes out, and the post keeps its neutrality warning.
        page.fill("input[name=when]", local_field(vilanova, in_days(BEFORE_THE_PERIOD)))
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**{url('detail', vilanova, post.pk)}")
        post.refresh_from_db()
        assert post.state == PostState.SCHEDULED
        warning = page.locator("#findings-list li.finding", has_text="NEUT-1").first
        expect(warning).to_contain_text("Warning")
        expect(page.locator("#findings-list li.finding", has_text="ELEC-2")).to_have_count(0)
        expect(page.locator("blockquote[lang=es] mark").first).to_have_text("Gracias a la inversión")
        assert pau_tab.accessibility_violations() == []
        pau_tab.screenshot("preflight-post-with-neutrality-warning")
        assert pau_tab.foreign_requests == []
    finally:
        pau_tab.close()
    assert visit.foreign_requests == []
