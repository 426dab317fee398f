"""Issue 6's "Done when", in Chromium, against the local Mastodon mock: a citizen's reply to our
published post arrives in the inbox with language, sentiment and a suggested department; an editor
assigns it and answers in Valencian with a saved reply, it goes out as a reply on the instance and the clock
stops; a public reply exposing a valid DNI is blocked (DATA-1); moderating a reply asks for a
rule and lands in the register (MOD-1).

Not covered here yet: the Telegram direct message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pregonero.channels.connectors.base import OutgoingPart
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.inbox import ingest, saved_replies
from pregonero.inbox.models import Conversation, Direction, Kind, Message, ResponseTarget, RoutingRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mastodon_reply_is_answered_in_valencian_with_a_saved_reply(
    visit, ana, alba, vilanova, urbanismo, mastodon, mastodon_account, mastodon_channel
):
    ResponseTarget.objects.create(organisation=vilanova, kind=Kind.THREAD, hours=8)
    RoutingRule.objects.create(organisation=vilanova, department=urbanismo, keywords="voreres")
    saved_replies.save(
        vilanova,
        actor=alba,
        title="Voreres",
        category="Via pública",
        texts={"es": "Lo revisamos hoy.", "ca": "Ho passem a la brigada hui mateix."},
    )
    ours = mastodon_channel.get_connector().publish(
        OutgoingPart(
            text="Comencen les obres del carrer Major.", language="ca", index=0, total=1, idempotency_key="k1"
        )
    )
    citizen = mastodon.new_account(f"veina{mastodon_account['id']}")
    mastodon.post(
        citizen["access_token"],
        f"@{mastodon_account['username']} Quina vergonya, les voreres estan brutes i trencades.",
        in_reply_to_id=ours.remote_id,
    )
    assert ingest.ingest_channel(mastodon_channel).counts == {"new": 1}
    conversation = Conversation.objects.get()
    incoming = Message.objects.get()
    assert conversation.language == "ca"
    assert conversation.suggested_department == urbanismo
    assert conversation.due_at is not None
    assert "vergonya" in [word for word, weight in incoming.sentiment_words if weight < 0]

    sign_in_with_an_authenticator(visit, ana, vilanova)
    visit.go(reverse("inbox:list", args=[vilanova.slug]))
    assert visit.accessibility_violations() == []
    page = visit.go(reverse("inbox:detail", args=[vilanova.slug, conversation.pk]))
    assert visit.accessibility_violations() == []
    page.locator("#id_assignee").select_option(value=str(ana.pk))
    page.locator("#id_department").select_option(value=str(urbanismo.pk))
    page.get_by_role("button", name="Save", exact=True).click()
    conversation.refresh_from_db()
    assert (conversation.assignee, conversation.department) == (ana, urbanismo)

    page.locator("#id_reply-text").fill("Hem trobat el seu expedient amb DNI 12345678Z.")
    page.get_by_role("button", name="Send reply").click()
    assert "exposes personal data (dni)" in page.content()
    assert not Message.objects.filter(direction=Direction.OUT).exists()

    page = visit.go(reverse("inbox:detail", args=[vilanova.slug, conversation.pk]))
    page.locator("#id_reply-saved_reply").select_option(label="Voreres")
    page.get_by_role("button", name="Insert into the reply").click()
    assert page.locator("#id_reply-text").input_value() == "Ho passem a la brigada hui mateix."
    page.get_by_role("button", name="Send reply").click()
    assert "Reply sent." in page.content()

    sent = Message.objects.get(direction=Direction.OUT)
    statuses = {status["id"]: status for status in mastodon.statuses_of(mastodon_account["id"])}
    assert statuses[sent.remote_id]["in_reply_to_id"] == incoming.remote_id
    assert "Ho passem a la brigada hui mateix." in statuses[sent.remote_id]["content"]
    conversation.refresh_from_db()
    assert conversation.due_at is None
    assert visit.foreign_requests == []


def test_moderating_a_mastodon_reply_asks_for_a_rule_and_appears_in_the_register(
    visit, alba, vilanova, mastodon, mastodon_account, mastodon_channel
):
    # Mastodon lets an account block another but not hide a reply under its post, so the form
    # offers only blocking here; hiding is exercised on a Facebook comment in moderation's tests.
    from pregonero.moderation import services as moderation
    from pregonero.moderation.models import Decision

    moderation.publish_rules(vilanova, actor=alba, drafts=moderation.standard_rules(vilanova))
    ours = mastodon_channel.get_connector().publish(
        OutgoingPart(text="Obres al carrer Major.", language="ca", index=0, total=1, idempotency_key="k2")
    )
    citizen = mastodon.new_account(f"insulta{mastodon_account['id']}")
    mastodon.post(
        citizen["access_token"],
        f"@{mastodon_account['username']} Sou uns inútils.",
        in_reply_to_id=ours.remote_id,
    )
    ingest.ingest_channel(mastodon_channel)
    incoming = Message.objects.get()

    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("moderation:moderate", args=[vilanova.slug, incoming.pk]))
    assert page.get_by_label("Hide the message").count() == 0
    page.get_by_label("Block the account").check()
    page.get_by_role("button", name="Record and carry out").click()
    assert page.locator("#id_rule").evaluate("element => element.validity.valueMissing")
    assert not Decision.objects.exists()

    page.get_by_label("Rule broken").select_option(label="R2 · Respeto")
    page.get_by_role("button", name="Record and carry out").click()
    page.wait_for_url("**/moderation/decisions/*/")
    page.get_by_role("link", name="Moderation", exact=True).click()
    assert "R2 (v1)" in page.locator("tbody tr").first.inner_text()
    assert Decision.objects.get().rule.code == "R2"
    assert visit.foreign_requests == []
