"""The Matrix connector against a real Synapse on 127.0.0.1."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.channels import health
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.models import Channel, Health
from pregonero.channels.tests.test_mastodon import PNG
from pregonero.publishing import dispatch, review, scheduling, services
from pregonero.publishing.models import PublicationState


def part(text: str, key: str, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="es", index=0, total=1, idempotency_key=key, **values)


def test_an_admin_connects_a_room_with_the_accounts_token(client_for, alba, vilanova, synapse, matrix_room):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "matrix"]),
        {
            "name": "Sala de noticias",
            "account-homeserver": synapse.url,
            "account-access_token": matrix_room["bot"]["access_token"],
            "account-room": matrix_room["alias"],
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="Sala de noticias")
    assert channel.config["room_id"] == matrix_room["room_id"]
    assert channel.config["user_id"] == matrix_room["bot"]["user_id"]
    assert channel.secret_values() == {"access_token": matrix_room["bot"]["access_token"]}
    assert matrix_room["bot"]["access_token"] not in str(channel.config)
    assert AuditEntry.objects.filter(action="channel.connected").exists()


def test_a_room_the_account_was_not_invited_to_is_refused(client_for, alba, vilanova, synapse):
    bot = synapse.register("solitario")
    owner = synapse.register("privada")
    synapse._call(
        "POST",
        "/_matrix/client/v3/createRoom",
        owner["access_token"],
        json={"room_alias_name": "privada", "preset": "private_chat"},
    )
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "matrix"]),
        {
            "name": "Privada",
            "account-homeserver": synapse.url,
            "account-access_token": bot["access_token"],
            "account-room": "#privada:localhost",
        },
    )
    assert response.status_code == 200
    assert "could not join the room" in response.content.decode()
    assert not Channel.objects.filter(name="Privada").exists()


def test_a_wrong_token_is_refused(client_for, alba, vilanova, synapse, matrix_room):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "matrix"]),
        {
            "name": "X",
            "account-homeserver": synapse.url,
            "account-access_token": "syt_not_a_token",
            "account-room": matrix_room["alias"],
        },
    )
    assert "The homeserver does not accept this access token." in response.content.decode()
    assert not Channel.objects.filter(name="X").exists()


def test_a_repeated_key_posts_one_message(synapse, matrix_room, matrix_channel):
    connector = matrix_channel.get_connector()
    first = connector.publish(part("Corte de agua el lunes ☔", "mx-1-0"))
    again = connector.publish(part("Corte de agua el lunes ☔", "mx-1-0"))
    assert first == again
    bodies = [
        e["content"]["body"]
        for e in synapse.events(matrix_room["citizen"]["access_token"], matrix_room["room_id"])
    ]
    assert bodies == ["Corte de agua el lunes ☔"]
    assert first.url.startswith("https://matrix.to/#/")


def test_an_image_follows_with_its_description_as_body(tmp_path, synapse, matrix_room, matrix_channel):
    image = tmp_path / "cartel.png"
    image.write_bytes(PNG)
    media = (OutgoingMedia(str(image), "image/png", "Cartel de las fiestas"),)
    matrix_channel.get_connector().publish(part("Fiestas", "mx-img-0", media=media))
    events = synapse.events(matrix_room["citizen"]["access_token"], matrix_room["room_id"])
    image_event = next(e for e in events if e["content"]["msgtype"] == "m.image")
    assert image_event["content"]["body"] == "Cartel de las fiestas"
    assert image_event["content"]["url"].startswith("mxc://localhost/")


def test_delete_redacts_the_message(synapse, matrix_room, matrix_channel):
    connector = matrix_channel.get_connector()
    result = connector.publish(part("Se borrará", "mx-del-0"))
    connector.delete(result.remote_id)
    events = synapse.events(matrix_room["citizen"]["access_token"], matrix_room["room_id"])
    assert [e["content"] for e in events if e["event_id"] == result.remote_id] == [{}]


def test_replies_edits_and_deletions_come_in_since_a_cursor(synapse, matrix_room, matrix_channel):
    connector = matrix_channel.get_connector()
    start = connector.fetch_inbound(None)
    ours = connector.publish(part("Abrimos la piscina el sábado.", "mx-in-0"))
    token, room = matrix_room["citizen"]["access_token"], matrix_room["room_id"]
    reply = synapse.send(
        token,
        room,
        {
            "msgtype": "m.text",
            "body": "> <@ayto:localhost> Abrimos la piscina el sábado.\n\n¿A qué hora? 🏊",
            "m.relates_to": {"m.in_reply_to": {"event_id": ours.remote_id}},
        },
    )
    synapse.send(
        token,
        room,
        {
            "msgtype": "m.text",
            "body": "* ¿A qué hora abre?",
            "m.new_content": {"msgtype": "m.text", "body": "¿A qué hora abre?"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": reply},
        },
    )
    other = synapse.send(token, room, {"msgtype": "m.text", "body": "Ελληνικά: καλημέρα"})
    synapse.redact(token, room, other)

    batch = connector.fetch_inbound(start.cursor)
    summary = [(m.remote_id, m.kind, m.text, m.deleted, m.edited_at is not None) for m in batch.messages]
    # The redacted message itself comes back empty and is skipped; its redaction says so.
    assert summary == [
        (reply, MessageKind.REPLY, "¿A qué hora? 🏊", False, False),
        (reply, MessageKind.MENTION, "¿A qué hora abre?", False, True),
        (other, MessageKind.MENTION, "", True, False),
    ]
    assert batch.messages[0].in_reply_to == ours.remote_id
    assert connector.fetch_inbound(batch.cursor).messages == ()


def test_leaving_the_room_breaks_the_channel_with_a_next_step(synapse, matrix_room, matrix_channel):
    assert health.check(matrix_channel) == Health.OK
    synapse.leave(matrix_room["bot"]["access_token"], matrix_room["room_id"])
    assert health.check(matrix_channel) == Health.BROKEN
    assert "invite it to the room again" in matrix_channel.health_message


def test_a_revoked_token_is_a_permanent_error(synapse, matrix_room, matrix_channel):
    synapse._call("POST", "/_matrix/client/v3/logout", matrix_room["bot"]["access_token"], json={})
    with pytest.raises(ConnectorError) as raised:
        matrix_channel.get_connector().publish(part("Hola", "mx-rev-0"))
    assert raised.value.permanent and raised.value.status == 401


def test_a_scheduled_post_reaches_the_room_once_through_the_dispatcher(
    vilanova, ana, pau, urbanismo, synapse, matrix_room, matrix_channel
):
    post = services.create_post(
        vilanova,
        actor=ana,
        title="Piscina",
        department=urbanismo,
        channels=[matrix_channel],
        texts={"es": "La piscina abre el sábado.", "ca": "La piscina obri dissabte."},
    )
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    local = timezone.localtime(timezone.now() + timedelta(hours=1), zoneinfo.ZoneInfo(vilanova.time_zone))
    scheduling.schedule(post, actor=pau, local=local.replace(tzinfo=None))
    later = timezone.now() + timedelta(hours=1, minutes=1)
    states = []
    while (result := dispatch.dispatch_next("w", now=later)) is not None:
        states.append(result[1])
    assert states == [PublicationState.SENT, PublicationState.SENT]
    bodies = sorted(
        e["content"]["body"]
        for e in synapse.events(matrix_room["citizen"]["access_token"], matrix_room["room_id"])
    )
    assert bodies == ["La piscina abre el sábado.", "La piscina obri dissabte."]
