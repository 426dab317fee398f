"""Webhook receivers: verify first, refuse what is unsigned, replayed, oversized or malformed
without keeping its body, store the rest before answering, parse it later."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import httpx
import pytest
import respx
from django.core.management import call_command
from django.test import Client

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind
from pregonero.channels.models import Channel
from pregonero.channels.tests.payloads import telegram as p
from pregonero.channels.tests.test_telegram import TOKEN
from pregonero.inbound import processing, receivers, signatures
from pregonero.inbound.models import HookEndpoint, RawEvent
from pregonero.inbound.services import endpoint_for

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture
def telegram_channel(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova,
        connector="telegram",
        name="Telegram",
        config={"chat_id": p.CHANNEL_CHAT["id"], "bot_id": p.BOT_ID, "bot_username": "VilanovaAjuntamentBot"},
    )
    channel.set_secret_values({"bot_token": TOKEN})
    channel.save()
    return channel


@pytest.fixture
def endpoint(telegram_channel) -> HookEndpoint:
    return endpoint_for(telegram_channel)


def send(endpoint, payload, *, secret=None, network="telegram", raw: bytes | None = None):
    headers = {} if secret is False else {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret or endpoint.secret}
    body = raw if raw is not None else json.dumps(payload).encode()
    return Client().post(
        f"/hooks/{network}/{endpoint.public_id}/", body, content_type="application/json", **headers
    )


def test_a_genuine_update_is_stored_before_the_answer_and_parsed_later(endpoint, telegram_channel):
    response = send(endpoint, p.PRIVATE_TEXT)
    assert response.status_code == 200
    event = RawEvent.objects.get()
    assert event.signature_ok and event.processed_at is None and event.messages == []
    assert event.payload() == p.PRIVATE_TEXT
    assert event.event_key == "update:918273001"
    assert SECRET_HEADER not in event.headers and endpoint.secret not in json.dumps(event.headers)

    assert processing.process_pending() == {"processed": 1, "messages": 1, "failed": 0}
    event.refresh_from_db()
    [message] = [processing.message_from_json(item) for item in event.messages]
    assert message.kind is MessageKind.DIRECT and message.remote_id == "52011377:15"
    assert processing.process_pending()["processed"] == 0


def test_an_unsigned_call_is_refused_and_its_body_not_kept(endpoint):
    response = send(endpoint, p.PRIVATE_TEXT, secret=False)
    assert response.status_code == 401
    event = RawEvent.objects.get()
    assert (event.signature_ok, bytes(event.body), event.error) == (False, b"", "unsigned")
    assert processing.process_pending()["processed"] == 0


def test_a_wrong_secret_is_forbidden(endpoint):
    assert send(endpoint, p.PRIVATE_TEXT, secret="guessed").status_code == 403
    assert not RawEvent.objects.filter(signature_ok=True).exists()


def test_a_replayed_update_is_refused_and_stored_once(endpoint):
    assert send(endpoint, p.PRIVATE_TEXT).status_code == 200
    assert send(endpoint, p.PRIVATE_TEXT).status_code == 409
    assert RawEvent.objects.filter(signature_ok=True).count() == 1
    assert RawEvent.objects.get(signature_ok=False).error == "replay"


def test_an_oversized_call_is_refused_unread(endpoint):
    big = {"update_id": 1, "message": {"text": "x" * (receivers.MAX_BODY + 10)}}
    assert send(endpoint, big).status_code == 413
    assert RawEvent.objects.get().error == "too big"


def test_a_signed_call_that_is_not_json_is_a_bad_request(endpoint):
    assert send(endpoint, None, raw=b"\xff\xfe{not json").status_code == 400
    assert not RawEvent.objects.filter(signature_ok=True).exists()


def test_unknown_addresses_are_not_found(endpoint, telegram_channel):
    assert (
        Client().post("/hooks/telegram/not-an-endpoint/", b"{}", content_type="application/json").status_code
        == 404
    )
    assert send(endpoint, p.PRIVATE_TEXT, network="whatsup").status_code == 404
    telegram_channel.is_active = False
    telegram_channel.save()
    assert send(endpoint, p.PRIVATE_TEXT).status_code == 404
    assert not RawEvent.objects.exists()


def test_a_get_is_not_a_telegram_call(endpoint):
    assert Client().get(f"/hooks/telegram/{endpoint.public_id}/").status_code == 405


def test_an_unknown_payload_is_kept_raw_and_does_not_crash(endpoint):
    odd = {"update_id": 77, "chat_boost": {"chat": p.CHANNEL_CHAT, "boost": {"boost_id": "b1"}}}
    assert send(endpoint, odd).status_code == 200
    assert processing.process_pending() == {"processed": 1, "messages": 0, "failed": 0}
    event = RawEvent.objects.get()
    assert event.payload() == odd and event.error == ""


def test_a_parser_failure_is_recorded_and_the_rest_go_on(endpoint, monkeypatch):
    send(endpoint, p.PRIVATE_TEXT)
    send(endpoint, p.PRIVATE_PHOTO)
    real = receivers.RECEIVERS["telegram"]
    calls = []

    def flaky(payload, channel):
        calls.append(payload["update_id"])
        if len(calls) == 1:
            raise KeyError("from")
        return real.parse(payload, channel)

    monkeypatch.setitem(
        receivers.RECEIVERS, "telegram", receivers.Receiver(**{**real.__dict__, "parse": flaky})
    )
    assert processing.process_pending() == {"processed": 2, "messages": 1, "failed": 1}
    failed = RawEvent.objects.get(event_key="update:918273001")
    assert failed.error == "KeyError: 'from'" and failed.messages == []


def test_endpoint_ids_are_random_and_not_sequential(endpoint, telegram_channel, vilanova):
    other = Channel.objects.create(organisation=vilanova, connector="telegram", name="Altre")
    second = endpoint_for(other)
    assert endpoint.public_id != second.public_id
    assert not endpoint.public_id.isdigit() and len(endpoint.public_id) >= 24
    # Not derived from the channel's number: a channel's next neighbour cannot be guessed.
    assert endpoint.public_id not in {str(telegram_channel.pk), str(other.pk)}
    assert endpoint.public_id[:8] != second.public_id[:8]


def test_the_command_sets_the_webhook_on_telegram(telegram_channel, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.SITE_URL = "https://pregonero.vilanova.example"
    with respx.mock(base_url=f"https://api.telegram.org/bot{TOKEN}") as mock:
        route = mock.post("/setWebhook").mock(
            return_value=httpx.Response(200, json={"ok": True, "result": True})
        )
        out = StringIO()
        call_command("inbound_webhook", str(telegram_channel.pk), stdout=out)
    sent = json.loads(route.calls.last.request.content)
    endpoint = HookEndpoint.objects.get(channel=telegram_channel)
    assert sent["url"] == f"https://pregonero.vilanova.example/hooks/telegram/{endpoint.public_id}/"
    assert sent["secret_token"] == endpoint.secret
    assert endpoint.secret not in out.getvalue()
    telegram_channel.refresh_from_db()
    # From now on the connector fetches nothing: the webhook delivers.
    assert telegram_channel.get_connector().fetch_inbound("5").messages == ()


def test_messages_survive_the_json_round_trip():
    message = InboundMessage(
        remote_id="1:2",
        kind=MessageKind.REPLY,
        author_id="9",
        author_handle="@x",
        text="東京 🏊",
        created_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        media=(InboundMedia("image", "tg-file:a", "", "image/jpeg"),),
        edited_at=datetime(2026, 1, 2, 3, 5, tzinfo=UTC),
    )
    assert (
        processing.message_from_json(json.loads(json.dumps(processing.message_to_json(message)))) == message
    )


def test_meta_signatures_are_hmac_sha256_of_the_raw_body():
    body = b'{"object":"page","entry":[{"id":"1","time":1763633730}]}'
    signature = signatures.hub_signature(body, "app-secret")
    assert signature.startswith("sha256=") and len(signature) == 71
    assert signatures.hub_signature_ok(body, signature, "app-secret")
    assert signatures.hub_signature_ok(body, signature.upper().replace("SHA256=", "sha256="), "app-secret")
    assert not signatures.hub_signature_ok(body + b" ", signature, "app-secret")
    assert not signatures.hub_signature_ok(body, signature, "other-secret")
    assert not signatures.hub_signature_ok(body, None, "app-secret")
    assert not signatures.hub_signature_ok(body, signature, "")
