"""Integration with the local Mastodon mock: a citizen's reply to our post comes into the inbox,
enriched and routed; our answer goes out as a reply on the instance; their answer to it joins
the same conversation."""

from __future__ import annotations

import pytest

from pregonero.channels.connectors.base import OutgoingPart
from pregonero.inbox import ingest, services
from pregonero.inbox.models import Conversation, Direction, Message, RoutingRule

pytestmark = pytest.mark.django_db


def test_a_reply_on_mastodon_is_answered_from_the_inbox(
    mastodon, mastodon_account, mastodon_channel, ana, urbanismo
):
    RoutingRule.objects.create(
        organisation=mastodon_channel.organisation, department=urbanismo, keywords="voreres"
    )
    connector = mastodon_channel.get_connector()
    ours = connector.publish(
        OutgoingPart(
            text="Comencen les obres del carrer Major.", language="ca", index=0, total=1, idempotency_key="k1"
        )
    )
    citizen = mastodon.new_account(f"veina{mastodon_account['id']}")
    handle = f"@{mastodon_account['username']}"
    mastodon.post(
        citizen["access_token"],
        f"{handle} Quina vergonya, les voreres estan brutes i trencades des de fa mesos.",
        in_reply_to_id=ours.remote_id,
    )

    assert ingest.ingest_channel(mastodon_channel).counts == {"new": 1}
    assert ingest.ingest_channel(mastodon_channel).counts == {}
    conversation = Conversation.objects.get()
    assert conversation.post_remote_id == ours.remote_id
    assert conversation.language == "ca"
    assert conversation.suggested_department == urbanismo
    incoming = Message.objects.get()
    assert "vergonya" in [word for word, weight in incoming.sentiment_words if weight < 0]

    sent = services.reply(conversation, actor=ana, text="Ho passem a la brigada hui mateix.", language="ca")
    statuses = {status["id"]: status for status in mastodon.statuses_of(mastodon_account["id"])}
    assert statuses[sent.remote_id]["in_reply_to_id"] == incoming.remote_id
    assert "Ho passem a la brigada" in statuses[sent.remote_id]["content"]

    mastodon.post(citizen["access_token"], f"{handle} Moltes gràcies!", in_reply_to_id=sent.remote_id)
    assert ingest.ingest_channel(mastodon_channel).counts == {"new": 1}
    assert Conversation.objects.count() == 1
    assert list(conversation.messages.values_list("direction", flat=True)) == [
        Direction.IN,
        Direction.OUT,
        Direction.IN,
    ]
