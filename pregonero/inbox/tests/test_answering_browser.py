"""In Chromium: an editor answers in Valencian with a saved reply and it goes out through the
connector; the answering pages pass the WCAG 2.1 AA audit with no foreign request."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.inbox import ingest, saved_replies
from pregonero.inbox.models import Conversation, PendingReply
from pregonero.inbox.tests import fakes
from pregonero.inbox.tests.fakes import message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conversation(channel, alba) -> Conversation:
    ingest.store(channel, message("m1", "Bon dia, el carrer Major està ple de forats.", when=timezone.now()))
    found = Conversation.objects.get()
    Conversation.objects.filter(pk=found.pk).update(language="ca")
    saved_replies.save(
        found.organisation,
        actor=alba,
        title="Forats al carrer",
        category="Via pública",
        texts={
            "es": "Hola {citizen_name}, lo revisaremos.",
            "ca": "Hola {citizen_name}, ho revisarem. {agent_name}",
        },
    )
    return found


def test_an_editor_answers_in_valencian_with_a_saved_reply(visit, alba, vilanova, conversation):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:detail", args=[vilanova.slug, conversation.pk]))
    page.locator("#id_reply-saved_reply").select_option(label="Forats al carrer")
    page.get_by_role("button", name="Insert into the reply").click()
    assert page.locator("#id_reply-text").input_value() == "Hola María, ho revisarem. Alba Administradora"
    assert visit.accessibility_violations() == []
    page.get_by_role("button", name="Send reply").click()
    assert "Reply sent." in page.content()
    assert fakes.PUBLISHED[0].text == "@maria@fake.example Hola María, ho revisarem. Alba Administradora"
    assert visit.foreign_requests == []


@pytest.mark.parametrize("name", ["saved_list", "saved_new", "pending", "answering_settings"])
def test_the_answering_pages_pass_the_wcag_audit(visit, alba, carles, vilanova, conversation, name):
    PendingReply.objects.create(conversation=conversation, author=carles, text="Ho mirem.", language="ca")
    sign_in_with_an_authenticator(visit, alba, vilanova)
    visit.go(reverse(f"inbox:{name}", args=[vilanova.slug]))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
