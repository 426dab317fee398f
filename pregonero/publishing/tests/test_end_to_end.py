"""The publishing issue's "done when", end to end in headless Chromium.

Ana (editor) writes a post in Spanish and Valencian with an image and its description, sees
the preview per channel and language, and submits it; Pau (approver) approves it and
schedules it two minutes ahead; the dispatcher sends it, and it appears once on the public
news page, once in the feed and once in a subscriber's mailbox (a real SMTP server on
loopback). Alba (admin) then pauses and resumes publishing with the emergency switch.
"""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.public import news
from pregonero.public.models import NewsItem
from pregonero.public.tests.factories import feed_xml, make_channel, make_subscriber, smtp_server
from pregonero.publishing import dispatch, review, scheduling, services
from pregonero.publishing.models import Post, PostState, PublicationState
from pregonero.publishing.tests.composing import fake_networks_fixture  # noqa: F401 (fixture: MEDIA_ROOT)
from pregonero.testing.browser import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Corte de agua en el centro"
SPANISH = "El martes se corta el agua en la plaza Mayor de ocho a diez por obras en la red."
VALENCIAN = "Dimarts es talla l'aigua a la plaça Major de huit a deu per obres a la xarxa."
DESCRIPTION = "Operarios reparando una tubería en la plaza Mayor."


@pytest.fixture(autouse=True)
def spanish_interface(settings, ana, pau, alba):
    """The staff interface in Spanish, as the town hall's people use it."""
    settings.LANGUAGE_CODE = "es"
    for person in (ana, pau, alba):
        person.language = "es"
        person.save(update_fields=["language"])


@pytest.fixture
def website(vilanova):
    return make_channel(vilanova, "website", "Web de Vilanova")


@pytest.fixture
def bulletin(vilanova):
    return make_channel(vilanova, "email", "Butlletí de Vilanova", from_email="noticies@vilanova.example")


@pytest.fixture
def marta(bulletin):
    return make_subscriber(bulletin, "marta@correo.example", "es")


@pytest.fixture
def mailbox(settings):
    """Marta's mailbox: aiosmtpd on 127.0.0.1, and MAILERS pointing at it."""
    with smtp_server(settings) as received:
        yield received


@pytest.fixture
def tab(chromium, live_server):
    """``tab()`` opens another browser context on the live server: one per person."""
    opened: list[Visit] = []

    def open_tab() -> Visit:
        opened.append(Visit(chromium, live_server.url))
        return opened[-1]

    yield open_tab
    for visit in opened:
        visit.close()


def tiny_png() -> bytes:
    """A valid 1×1 PNG, built by hand (Pillow is not installed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x20\x60\xa0")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def run_worker(now) -> list[tuple[int, str]]:
    """What a worker does on one poll: send every publication due at ``now``."""
    handled = []
    while (result := dispatch.dispatch_next("e2e-worker", now=now)) is not None:
        handled.append(result)
    return handled


def url(name: str, organisation, *args) -> str:
    return reverse(f"publishing:{name}", args=[organisation.slug, *args])


def test_a_post_goes_from_composer_to_page_feed_and_mailbox_exactly_once(
    visit, tab, vilanova, ana, pau, website, bulletin, marta, mailbox
):
    # Ana writes the post: both languages, both channels.
    sign_in_with_an_authenticator(visit, ana, vilanova)
    page = visit.go(url("new", vilanova))
    assert page.locator("html").get_attribute("lang") == "es"
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=category]", "service")
    page.check(f"input[name=channels][value='{website.pk}']")
    page.check(f"input[name=channels][value='{bulletin.pk}']")
    page.fill("textarea[name=text_es]", SPANISH)
    page.fill("textarea[name=text_ca]", VALENCIAN)
    # The live preview (HTMX) shows one part per channel and language.
    previews = page.locator("#preview section.preview")
    expect(previews).to_have_count(4)
    for channel in (website, bulletin):
        for language, text in (("es", SPANISH), ("ca", VALENCIAN)):
            expect(
                previews.filter(has_text=channel.name).locator(f"ol.parts p[lang={language}]")
            ).to_have_text(text)
    assert visit.accessibility_violations() == []
    page.click("#composer button[name=save]")
    page.wait_for_url("**/edit/")
    post = Post.objects.get(organisation=vilanova, title=TITLE)
    assert post.state == PostState.DRAFT
    assert {(v.channel_id, v.language) for v in post.variants.all()} == {
        (channel.pk, language) for channel in (website, bulletin) for language in ("es", "ca")
    }

    # The image and its description.
    media_form = page.locator(f"form[action='{url('media_add', vilanova, post.pk)}']")
    media_form.locator("input[name=file]").set_input_files(
        {"name": "obras.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    media_form.locator("textarea[name=description]").fill(DESCRIPTION)
    media_form.locator("button[type=submit]").click()
    page.wait_for_url("**/edit/")
    [image] = post.media.all()
    assert (image.mime, image.description) == ("image/png", DESCRIPTION)

    page = visit.go(url("detail", vilanova, post.pk))
    page.click(f"form[action='{url('submit', vilanova, post.pk)}'] button[type=submit]")
    page.wait_for_url(f"**{url('detail', vilanova, post.pk)}")
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW

    # Pau, in a browser of his own, approves it and schedules it two minutes ahead.
    pau_tab = tab()
    sign_in_with_an_authenticator(pau_tab, pau, vilanova)
    page = pau_tab.go(url("detail", vilanova, post.pk))
    review_form = page.locator(f"form[action='{url('review', vilanova, post.pk)}']")
    review_form.locator("input[name=decision][value=approve]").check()
    review_form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{url('detail', vilanova, post.pk)}")
    post.refresh_from_db()
    assert (post.state, post.approved_by) == (PostState.APPROVED, pau)

    page = pau_tab.go(url("schedule", vilanova, post.pk))
    local = (timezone.now() + timedelta(minutes=2)).astimezone(ZoneInfo(vilanova.time_zone))
    page.fill("input[name=when]", local.strftime("%Y-%m-%dT%H:%M"))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{url('detail', vilanova, post.pk)}")
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    assert post.scheduled_at == local.replace(second=0, microsecond=0)
    publications = post.publications.all()
    assert publications.count() == 4
    assert {p.state for p in publications} == {PublicationState.QUEUED}

    # Not due yet: a worker polling now sends nothing.
    assert run_worker(timezone.now()) == []
    # The worker as it would poll just after the chosen time. Passing the moment to the
    # dispatcher (rather than sleeping two minutes) keeps the test fast; everything else,
    # the connectors and the SMTP server included, runs for real. A second poll, as after a
    # crash or by a second worker, must find nothing left to send.
    due = post.scheduled_at + timedelta(seconds=1)
    # At the post's time the website goes out in both languages; the bulletin waits one
    # dispatcher pass, so that its message can link to the news item.
    assert sorted(state for _pk, state in run_worker(due)) == [PublicationState.SENT] * 2
    later = due + timedelta(seconds=30)
    assert sorted(state for _pk, state in run_worker(later)) == [PublicationState.SENT] * 2
    assert run_worker(later + timedelta(seconds=30)) == []

    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    item = NewsItem.objects.get(post=post, language="es")
    assert NewsItem.objects.filter(post=post).count() == 2  # one per language

    # The public news page (Spanish) shows the post once, with its own address.
    page = visit.go(f"/p/{vilanova.slug}/")
    entries = page.locator("li.news-entry")
    expect(entries).to_have_count(1)
    expect(entries.locator("h2 a")).to_have_text(TITLE)
    assert entries.locator("h2 a").get_attribute("href") == f"/p/{vilanova.slug}/news/{item.number}/"
    assert page.content().count(SPANISH[:60]) == 1
    assert visit.accessibility_violations() == []
    visit.screenshot("end-to-end-public-news-page")

    page = visit.go(f"/p/{vilanova.slug}/news/{item.number}/")
    expect(page.get_by_role("img", name=DESCRIPTION)).to_have_count(1)

    # The feed has exactly one item for it.
    feed = feed_xml(page.request.get(f"{visit.base_url}/p/{vilanova.slug}/feed.rss?lang=es").body())
    assert [entry.findtext("link") for entry in feed.iter("item")] == [news.news_url(item)]

    # Marta's mailbox got exactly one message, in Spanish, with the image described.
    [message] = mailbox.to(marta.email)
    assert len(mailbox.messages) == 1
    text = message.get_body(("plain",)).get_content()
    assert SPANISH in text
    assert DESCRIPTION in text
    # The bulletin falls due after the website, so it links to the news item.
    assert news.news_url(item) in text

    # The post's page says it is published, each publication sent once.
    page = visit.go(url("detail", vilanova, post.pk))
    with translation.override("es"):
        published, sent = str(PostState.PUBLISHED.label), str(PublicationState.SENT.label)
    expect(page.locator("dl dd").first).to_have_text(published)
    rows = page.locator("section[aria-labelledby=publications-heading] tbody tr")
    expect(rows).to_have_count(4)
    for index in range(4):
        expect(rows.nth(index).locator("td").nth(1)).to_have_text(sent)
    assert list(post.publications.values_list("attempt_count", flat=True)) == [1] * 4
    visit.screenshot("end-to-end-post-detail-published")

    assert visit.foreign_requests == []
    assert pau_tab.foreign_requests == []


def test_the_emergency_switch_holds_and_releases_a_scheduled_post(tab, vilanova, ana, pau, alba, website):
    post = services.create_post(
        vilanova,
        actor=ana,
        title="Fiestas patronales",
        category="agenda",
        channels=[website],
        texts={"es": "Programa de las fiestas.", "ca": "Programa de les festes."},
    )
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    tomorrow = scheduling.default_schedule_time(vilanova)
    scheduling.schedule(post, actor=pau, local=tomorrow)
    due_at = post.publications.get(variant__language="es").due_at

    alba_tab = tab()
    sign_in_with_an_authenticator(alba_tab, alba, vilanova)
    page = alba_tab.go(url("emergency", vilanova))
    page.fill("textarea[name=reason]", "Temporal: alerta roja")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{url('emergency', vilanova)}")
    held = page.locator("section[aria-labelledby=held-heading] tbody tr")
    expect(held).to_have_count(2)
    expect(held.locator(f"a[href='{url('detail', vilanova, post.pk)}']")).to_have_count(2)
    assert set(post.publications.values_list("state", flat=True)) == {PublicationState.PAUSED}
    # Nothing held goes out, even when its time comes.
    assert run_worker(due_at + timedelta(seconds=1)) == []
    assert alba_tab.accessibility_violations() == []

    page.check("input[name=reschedule][value=keep]")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{url('emergency', vilanova)}")
    expect(page.locator("section[aria-labelledby=held-heading] table")).to_have_count(0)
    expect(page.locator("textarea[name=reason]")).to_have_count(1)  # the switch can be pressed again
    assert set(post.publications.values_list("state", flat=True)) == {PublicationState.QUEUED}
    assert set(post.publications.values_list("due_at", flat=True)) == {due_at}
    assert alba_tab.foreign_requests == []
