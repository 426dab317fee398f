"""The inbox pages pass the WCAG 2.1 AA audit in headless Chromium, and the reply guard shows
its error on the reply field."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.inbox import ingest, services
from pregonero.inbox.models import Conversation, State
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.fakes import message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conversation(channel, alba, urbanismo) -> Conversation:
    now = timezone.now()
    ingest.store(
        channel,
        message("m1", "Quina vergonya, el carrer Major està brut. El meu DNI és 12345678Z.", when=now),
    )
    ingest.store(
        channel, message("m1", "Quina vergonya, el carrer Major està brut.", when=now, edited_at=now)
    )
    found = Conversation.objects.get()
    services.triage(
        found, actor=alba, state=State.OPEN, priority=2, department=urbanismo, assignee=alba, tags=["carrers"]
    )
    services.add_note(found, actor=alba, text="@ana ho mires?")
    return found


@pytest.mark.parametrize("name", ["list", "detail", "settings"])
def test_every_inbox_page_passes_the_wcag_audit(visit, alba, vilanova, conversation, name):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    arguments = [vilanova.slug] + ([conversation.pk] if name == "detail" else [])
    path = reverse(f"inbox:{name}", args=arguments)
    visit.go(path)
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_a_reply_with_a_dni_is_blocked_on_the_field_then_sent_with_a_reason(
    visit, alba, vilanova, conversation
):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:detail", args=[vilanova.slug, conversation.pk]))
    page.locator("#id_reply-text").fill("Hem trobat el seu expedient, DNI 12345678Z.")
    page.get_by_role("button", name="Send reply").click()
    assert (
        "exposes personal data (dni)"
        in page.locator(".field", has=page.locator("#id_reply-text")).inner_text()
    )
    assert fakes.PUBLISHED == []
    assert visit.accessibility_violations() == []
    page.get_by_label("Reason to send personal data anyway").fill("Ho ha demanat la persona.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent.").wait_for()
    assert [part.language for part in fakes.PUBLISHED] == ["ca"]
