"""Meta webhooks (Facebook Pages, Instagram): the hub.challenge handshake and X-Hub-Signature-256."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from pregonero.channels.models import Channel
from pregonero.channels.tests.payloads import meta as p
from pregonero.inbound import processing
from pregonero.inbound.models import RawEvent
from pregonero.inbound.services import endpoint_for
from pregonero.inbound.signatures import hub_signature


@pytest.fixture
def page(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova, connector="facebook", name="Facebook", config={"page_id": p.PAGE_ID}
    )
    channel.set_secret_values({"page_token": "t", "app_id": "1234", "app_secret": "app-secret"})
    channel.save()
    return channel


@pytest.fixture
def instagram(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova, connector="instagram", name="Instagram", config={"ig_id": p.IG_ID}
    )
    channel.set_secret_values({"page_token": "t", "app_id": "1234", "app_secret": "app-secret"})
    channel.save()
    return channel


def fresh(payload: dict) -> dict:
    """The payload with entry times of now (Meta's are the time of the delivery)."""
    data = json.loads(json.dumps(payload))
    for entry in data["entry"]:
        entry["time"] = int(time.time())
    return data


APP_SECRET = "app-secret"  # noqa: S105 - the test app's secret


def deliver(channel, network, payload, *, secret=APP_SECRET, signature=None):
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {}
    if signature is not False:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature or hub_signature(body, secret)
    url = f"/hooks/{network}/{endpoint_for(channel).public_id}/"
    return Client().post(url, body, content_type="application/json", **headers)


def test_the_subscription_handshake_echoes_the_challenge(page):
    endpoint = endpoint_for(page)
    url = f"/hooks/facebook/{endpoint.public_id}/"
    query = {"hub.mode": "subscribe", "hub.verify_token": endpoint.secret, "hub.challenge": "1158201444"}
    response = Client().get(url, query)
    assert (response.status_code, response.content) == (200, b"1158201444")
    assert Client().get(url, {**query, "hub.verify_token": "guess"}).status_code == 403
    assert Client().get(url, {**query, "hub.mode": "unsubscribe"}).status_code == 403


def test_a_signed_page_event_is_stored_then_parsed(page):
    assert deliver(page, "facebook", fresh(p.page(p.COMMENT, p.REPLY_TO_COMMENT))).status_code == 200
    event = RawEvent.objects.get()
    assert event.signature_ok and event.event_key.startswith("sha256:")
    assert event.headers["X-Hub-Signature-256"].startswith("sha256=")
    processing.process_pending()
    event.refresh_from_db()
    texts = [processing.message_from_json(item).text for item in event.messages]
    assert texts == ["Quina hora obre la piscina? 🏊", "Дякую за інформацію!"]


def test_a_wrong_or_missing_signature_is_refused(page):
    payload = fresh(p.page(p.COMMENT))
    assert deliver(page, "facebook", payload, secret="another-app").status_code == 403
    assert deliver(page, "facebook", payload, signature=False).status_code == 401
    assert deliver(page, "facebook", payload, signature="sha1=abc").status_code == 403
    assert not RawEvent.objects.filter(signature_ok=True).exists()
    assert set(RawEvent.objects.values_list("error", flat=True)) == {"bad signature", "unsigned"}
    assert all(bytes(body) == b"" for body in RawEvent.objects.values_list("body", flat=True))


def test_a_signature_over_another_body_is_refused(page):
    body = json.dumps(fresh(p.page(p.COMMENT))).encode()
    forged = body.replace(b"piscina", b"biblioteca")
    url = f"/hooks/facebook/{endpoint_for(page).public_id}/"
    response = Client().post(
        url,
        forged,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=hub_signature(body, "app-secret"),
    )
    assert response.status_code == 403


def test_a_redelivered_body_and_an_old_event_are_replays(page):
    payload = fresh(p.page(p.COMMENT))
    assert deliver(page, "facebook", payload).status_code == 200
    assert deliver(page, "facebook", payload).status_code == 409
    stale = p.page(p.EDITED)
    stale["entry"][0]["time"] = int(time.time()) - 4 * 86400
    assert deliver(page, "facebook", stale).status_code == 409
    assert RawEvent.objects.filter(signature_ok=True).count() == 1


def test_instagram_comments_arrive_on_their_own_address(instagram, page):
    assert deliver(instagram, "instagram", fresh(p.INSTAGRAM_COMMENT)).status_code == 200
    # A Facebook channel's id is not an Instagram address.
    assert deliver(page, "instagram", fresh(p.INSTAGRAM_COMMENT)).status_code == 404
    processing.process_pending()
    event = RawEvent.objects.get(signature_ok=True)
    assert [item["author_handle"] for item in event.messages] == ["@hanako.y", "@marta.puig"]


def test_whatsapp_messages_are_signed_stored_and_parsed(vilanova):
    from pregonero.channels.tests.payloads import whatsapp as w

    channel = Channel(
        organisation=vilanova,
        connector="whatsapp",
        name="WhatsApp",
        config={"phone_number_id": w.PHONE_NUMBER_ID},
    )
    channel.set_secret_values({"access_token": "t", "app_secret": APP_SECRET})
    channel.save()
    payload = w.call(w.TEXT, w.REACTION, statuses=[w.STATUS])
    assert deliver(channel, "whatsapp", payload, secret="wrong").status_code == 403
    assert deliver(channel, "whatsapp", payload).status_code == 200
    processing.process_pending()
    event = RawEvent.objects.get(signature_ok=True)
    assert [item["remote_id"] for item in event.messages] == [w.TEXT["id"]]
