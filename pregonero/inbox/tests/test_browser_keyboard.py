"""The keyboard-first inbox in headless Chromium: j/k move, e resolves with Undo, ? opens the
help dialog that Esc closes, typing in a field is not a shortcut, and new conversations appear
without reloading."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, State
from pregonero.inbox.tests.fakes import message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three(channel) -> list[Conversation]:
    now = timezone.now()
    for index, handle in enumerate(
        ["@primera@fake.example", "@segona@fake.example", "@tercera@fake.example"]
    ):
        ingest.store(
            channel,
            message(f"m{index}", "Bon dia, una consulta.", author=handle, handle=handle, when=now),
        )
        Conversation.objects.filter(citizen_handle=handle).update(
            last_message_at=now - timedelta(minutes=index)
        )
    return list(Conversation.objects.order_by("-last_message_at"))


def current_handle(page) -> str:
    return page.locator('tr[aria-current="true"] th').inner_text()


def test_j_and_k_move_between_conversations_and_e_resolves_with_undo(visit, alba, vilanova, three):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:list", args=[vilanova.slug]))
    page.locator("h1").click()
    page.keyboard.press("j")
    assert "@primera" in current_handle(page)
    page.keyboard.press("j")
    assert "@segona" in current_handle(page)
    assert page.evaluate("document.activeElement.dataset.conversation") == str(three[1].pk)
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("e")
    page.locator("#inbox-feedback").get_by_text("Resolved").wait_for()
    assert Conversation.objects.get(pk=three[1].pk).state == State.RESOLVED
    page.locator(f'tr[data-conversation="{three[1].pk}"]').wait_for(state="detached")
    # The resolved conversation left the list; its place goes to the next one.
    assert "@tercera" in current_handle(page)
    page.get_by_role("button", name="Undo").click()
    page.locator(f'tr[data-conversation="{three[1].pk}"]').wait_for()
    assert Conversation.objects.get(pk=three[1].pk).state == State.NEW
    assert visit.foreign_requests == []


def test_the_help_dialog_opens_with_a_question_mark_and_closes_with_escape(visit, alba, vilanova, three):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:list", args=[vilanova.slug]))
    page.locator("h1").click()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    assert page.evaluate("document.getElementById('shortcuts').contains(document.activeElement)")
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('shortcuts').contains(document.activeElement)")
    assert visit.accessibility_violations() == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")


def test_letters_typed_in_a_field_are_not_shortcuts(visit, alba, vilanova, three):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:list", args=[vilanova.slug]))
    page.get_by_label("Search").press_sequentially("je?")
    assert page.get_by_label("Search").input_value() == "je?"
    assert not page.get_by_role("dialog").is_visible()
    assert all(conversation.state == State.NEW for conversation in Conversation.objects.all())


def test_new_conversations_appear_and_are_announced_without_moving_focus(
    visit, alba, vilanova, channel, three
):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:list", args=[vilanova.slug]))
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    ingest.store(
        channel,
        message("n1", "Una queixa nova.", author="n", handle="@nova@fake.example", when=timezone.now()),
    )
    # What the ten-second timer does, without waiting for it.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_text("@nova@fake.example").wait_for()
    page.locator("#inbox-announcer").get_by_text("1 new conversation").wait_for()
    assert page.evaluate("document.activeElement.dataset.conversation") == str(three[1].pk)


@pytest.mark.parametrize("name", ["list", "team"])
def test_the_list_and_team_pages_pass_the_wcag_audit(visit, alba, vilanova, three, name):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    visit.go(reverse(f"inbox:{name}", args=[vilanova.slug]) + ("?q=consulta" if name == "list" else ""))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []


def test_on_a_conversation_r_goes_to_the_reply_a_to_the_assignee_and_e_resolves(visit, alba, vilanova, three):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:list", args=[vilanova.slug]))
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_url(f"**/inbox/{three[0].pk}/#reply")
    page.locator("#id_reply-text:focus").wait_for()
    page.locator("h1").click()
    page.keyboard.press("a")
    assert page.evaluate("document.activeElement.id") == "id_assignee"
    page.locator("h1").click()
    page.keyboard.press("e")
    page.locator("#inbox-feedback").get_by_text("Resolved").wait_for()
    assert Conversation.objects.get(pk=three[0].pk).state == State.RESOLVED


@pytest.mark.parametrize("key", ["Enter", "o"])
def test_enter_or_o_opens_the_conversation_the_person_is_on(visit, alba, vilanova, three, key):
    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("inbox:list", args=[vilanova.slug]))
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press(key)
    page.wait_for_url(f"**/inbox/{three[1].pk}/")
