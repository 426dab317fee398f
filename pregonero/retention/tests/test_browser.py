"""In headless Chromium: an administrator sets a retention policy and applies it twice; the
first run blocks an expired private conversation, the second destroys it, and the archive's
chain still verifies. The pages pass the WCAG 2.1 AA audit with no request to other hosts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.archive import services as archive
from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.core.tests.test_browser import sign_in_with_an_authenticator
from pregonero.inbox import ingest
from pregonero.inbox.models import Conversation, State
from pregonero.inbox.tests.fakes import message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_retention_run_blocks_then_destroys_and_the_chain_verifies(visit, alba, vilanova, channel):
    long_ago = timezone.now() - timedelta(days=40)
    ingest.store(
        channel,
        message(
            "d1",
            "Soc la Maria Puig, el meu telèfon és el 600 12 34 56.",
            kind=MessageKind.DIRECT,
            when=long_ago,
        ),
        now=long_ago,
    )
    Conversation.objects.update(state=State.CLOSED, last_message_at=long_ago)
    record = ArchiveRecord.objects.get(kind=Kind.MESSAGE_RECEIVED)

    sign_in_with_an_authenticator(visit, alba, vilanova)
    page = visit.go(reverse("retention:settings", args=[vilanova.slug]))
    assert visit.accessibility_violations() == []
    page.get_by_label(
        "Private conversations (both sides): keep for (days after the conversation is closed)"
    ).fill("30")
    page.get_by_label("Private conversations (both sides): then blocked for (days) before destruction").fill(
        "0"
    )
    page.get_by_role("button", name="Save retention policies").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Apply the policies now").click()
    page.wait_for_load_state()
    assert "1 records blocked, 0 destroyed" in page.content()
    record.refresh_from_db()
    assert record.blocked_at is not None and record.text.startswith("Soc la Maria")

    page.get_by_role("button", name="Apply the policies now").click()
    page.wait_for_load_state()
    assert "0 records blocked, 1 destroyed" in page.content()
    record.refresh_from_db()
    assert record.destroyed_at is not None and record.text == ""
    assert ArchiveRecord.objects.filter(kind=Kind.DESTROYED).count() == 1
    assert archive.verify().ok
    assert visit.accessibility_violations() == []

    visit.go(reverse("retention:requests", args=[vilanova.slug]))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
