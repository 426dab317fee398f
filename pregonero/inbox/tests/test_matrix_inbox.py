"""Integration with a real Synapse: a citizen's reply in the room, its edit and the deletion of
another message come into the inbox; the answer goes out as a reply in the room."""

from __future__ import annotations

import pytest

from pregonero.channels.connectors.base import OutgoingPart
from pregonero.inbox import ingest, services
from pregonero.inbox.models import Conversation, Message

pytestmark = pytest.mark.django_db


def test_a_room_reply_its_edit_and_a_deletion_reach_the_inbox(synapse, matrix_room, matrix_channel, ana):
    connector = matrix_channel.get_connector()
    ingest.ingest_channel(matrix_channel)  # the room's history so far: nothing addressed to us
    ours = connector.publish(
        OutgoingPart(
            text="Obrim la piscina dissabte.", language="ca", index=0, total=1, idempotency_key="mx-inbox"
        )
    )
    token, room = matrix_room["citizen"]["access_token"], matrix_room["room_id"]
    reply = synapse.send(
        token,
        room,
        {
            "msgtype": "m.text",
            "body": "> <@ayto:localhost> Obrim la piscina dissabte.\n\nA quina hora obri la piscina?",
            "m.relates_to": {"m.in_reply_to": {"event_id": ours.remote_id}},
        },
    )
    synapse.send(
        token,
        room,
        {
            "msgtype": "m.text",
            "body": "* A quina hora obri la piscina municipal?",
            "m.new_content": {"msgtype": "m.text", "body": "A quina hora obri la piscina municipal?"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": reply},
        },
    )
    other = synapse.send(
        token, room, {"msgtype": "m.text", "body": "Quina vergonya de servei, sempre tancat."}
    )
    ingest.ingest_channel(matrix_channel)
    synapse.redact(token, room, other)
    ingest.ingest_channel(matrix_channel)

    answered = Message.objects.get(remote_id=reply)
    assert answered.text == "A quina hora obri la piscina municipal?"
    assert answered.edited and answered.revisions.get().text == "A quina hora obri la piscina?"
    assert answered.conversation.post_remote_id == ours.remote_id
    assert answered.language == "ca"
    gone = Message.objects.get(remote_id=other)
    assert gone.deleted and gone.text == "Quina vergonya de servei, sempre tancat."

    sent = services.reply(answered.conversation, actor=ana, text="Obrim a les deu.", language="ca")
    event = next(e for e in synapse.events(token, room) if e["event_id"] == sent.remote_id)
    assert event["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == reply
    assert "Obrim a les deu." in event["content"]["body"]
    assert Conversation.objects.get(pk=answered.conversation_id).first_response_at is not None
