"""WhatsApp Cloud API: the pure parser and 24-hour rule, and contract tests (respx) of the
exchanges the connector makes: connecting, answers, templates, errors and rate limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from django.urls import reverse

from pregonero.channels.connectors.base import ConnectorError, OutgoingPart
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.meta.client import GRAPH
from pregonero.channels.connectors.whatsapp import parse
from pregonero.channels.models import Channel
from pregonero.channels.tests.payloads import whatsapp as p

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SENT = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": p.CITIZEN, "wa_id": p.CITIZEN}],
    "messages": [{"id": "wamid.out1"}],
}


def graph_error(status: int, code: int, message: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "A"}},
    )


@pytest.fixture
def graph(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(base_url=GRAPH, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def channel(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova,
        connector="whatsapp",
        name="WhatsApp",
        config={"phone_number_id": p.PHONE_NUMBER_ID, "business_account_id": p.WABA_ID},
    )
    channel.set_secret_values({"access_token": "EAAG-system-user", "app_secret": "app-secret"})
    channel.save()
    return channel


# Parsing.
def test_text_media_location_replies_and_buttons_are_messages():
    found = parse.parse_webhook(
        p.call(p.TEXT, p.IMAGE, p.VOICE, p.DOCUMENT, p.LOCATION, p.REPLY, p.INTERACTIVE), p.PHONE_NUMBER_ID
    )
    text, image, voice, document, location, reply, button = found
    assert all(m.kind is MessageKind.DIRECT for m in found)
    assert (text.text, text.author_name, text.author_handle) == (
        "Bon dia! Quins papers necessite per al padró? 📄",
        "Marta Puig",
        "+34600123456",
    )
    assert (
        text.created_at == datetime(2025, 11, 20, 10, 15, 30, tzinfo=UTC) and text.conversation == p.CITIZEN
    )
    assert image.text == "Зламана лавка в парку" and image.author_name == "Олена"
    assert [(m.kind, m.url, m.mime) for m in image.media] == [
        ("image", "wa-media:1479537139650973", "image/jpeg")
    ]
    assert voice.text == "" and voice.media[0].kind == "audio"
    assert document.media[0].description == "certificat.pdf"
    assert location.text == "Plaça Major, Plaça Major, 1 (39.4699, -0.3763)"
    assert reply.in_reply_to == "wamid.ours1"
    assert button.text == "Demanar cita"


def test_reactions_unsupported_messages_statuses_and_other_numbers_are_not_messages():
    assert (
        parse.parse_webhook(p.call(p.REACTION, p.UNSUPPORTED, statuses=[p.STATUS]), p.PHONE_NUMBER_ID) == []
    )
    assert parse.parse_webhook(p.call(p.TEXT, phone_number_id="999"), p.PHONE_NUMBER_ID) == []
    assert (
        parse.parse_webhook(
            {
                "object": "whatsapp_business_account",
                "entry": [{"changes": [{"field": "account_update", "value": {}}]}],
            },
            p.PHONE_NUMBER_ID,
        )
        == []
    )


def test_the_window_is_24_hours_from_the_last_message():
    assert parse.window_open(NOW - timedelta(hours=23, minutes=59), NOW)
    assert not parse.window_open(NOW - timedelta(hours=24), NOW)
    assert not parse.window_open(None, NOW)


# Contract.
def test_an_admin_connects_a_number_with_a_pasted_token(client_for, alba, vilanova, graph):
    graph.get(f"/{p.PHONE_NUMBER_ID}").mock(
        return_value=httpx.Response(
            200,
            json={
                "verified_name": "Ajuntament de Vilanova",
                "display_phone_number": "+34 961 00 00 00",
                "quality_rating": "GREEN",
                "id": p.PHONE_NUMBER_ID,
            },
        )
    )
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "whatsapp"]),
        {
            "name": "WhatsApp ciutadania",
            "account-phone_number_id": p.PHONE_NUMBER_ID,
            "account-business_account_id": p.WABA_ID,
            "account-access_token": "EAAG-system-user",
            "account-app_secret": "app-secret",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="WhatsApp ciutadania")
    assert channel.config["account"] == "Ajuntament de Vilanova (+34 961 00 00 00)"
    assert channel.secret_values() == {"access_token": "EAAG-system-user", "app_secret": "app-secret"}
    assert "EAAG" not in json.dumps(channel.config)


def test_a_wrong_token_connects_nothing(client_for, alba, vilanova, graph):
    graph.get(f"/{p.PHONE_NUMBER_ID}").mock(return_value=graph_error(401, 190, "Invalid OAuth access token."))
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "whatsapp"]),
        {
            "name": "W",
            "account-phone_number_id": p.PHONE_NUMBER_ID,
            "account-business_account_id": p.WABA_ID,
            "account-access_token": "bad",
            "account-app_secret": "s",
        },
    )
    assert "does not accept this token" in response.content.decode()
    assert not Channel.objects.filter(name="W").exists()


def test_an_answer_inside_the_window_is_free_text_in_context(channel, graph):
    route = graph.post(f"/{p.PHONE_NUMBER_ID}/messages").mock(return_value=httpx.Response(200, json=SENT))
    sent = channel.get_connector().reply(
        p.CITIZEN,
        "El DNI i un rebut.",
        last_inbound_at=NOW - timedelta(hours=2),
        in_reply_to="wamid.in1",
        now=NOW,
    )
    assert sent == "wamid.out1"
    assert json.loads(route.calls.last.request.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": p.CITIZEN,
        "type": "text",
        "text": {"body": "El DNI i un rebut.", "preview_url": False},
        "context": {"message_id": "wamid.in1"},
    }
    assert route.calls.last.request.headers["Authorization"] == "Bearer EAAG-system-user"


def test_free_text_outside_the_window_is_refused_before_calling(channel, graph):
    route = graph.post(f"/{p.PHONE_NUMBER_ID}/messages")
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().reply(p.CITIZEN, "Hola", last_inbound_at=NOW - timedelta(days=2), now=NOW)
    assert caught.value.permanent and "approved message template" in str(caught.value)
    assert route.call_count == 0


def test_whatsapp_refusing_for_the_window_says_the_same(channel, graph):
    graph.post(f"/{p.PHONE_NUMBER_ID}/messages").mock(
        return_value=graph_error(400, 131047, "Re-engagement message")
    )
    # The inbox answers as reply(chat, text, in_reply_to=…), without the time of the last message.
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().reply(p.CITIZEN, "Hola", in_reply_to="wamid.in1")
    assert caught.value.permanent and "24 hours" in str(caught.value)


def test_an_approved_template_goes_out_of_the_window(channel, graph):
    graph.get(f"/{p.WABA_ID}/message_templates").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {
                        "name": "cita_recordatori",
                        "language": "ca",
                        "status": "APPROVED",
                        "category": "UTILITY",
                        "id": "1",
                    }
                ]
            },
        )
    )
    route = graph.post(f"/{p.PHONE_NUMBER_ID}/messages").mock(return_value=httpx.Response(200, json=SENT))
    channel.get_connector().send_template(p.CITIZEN, "cita_recordatori", "ca", ["dilluns 1", "10:00"])
    assert json.loads(route.calls.last.request.content)["template"] == {
        "name": "cita_recordatori",
        "language": {"code": "ca"},
        "components": [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": "dilluns 1"}, {"type": "text", "text": "10:00"}],
            }
        ],
    }


def test_a_template_that_is_not_approved_is_refused(channel, graph):
    graph.get(f"/{p.WABA_ID}/message_templates").mock(return_value=httpx.Response(200, json={"data": []}))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().send_template(p.CITIZEN, "promo", "es")
    assert caught.value.permanent and caught.value.params == {"template": "promo", "language": "es"}


def test_rate_limits_are_temporary_and_a_revoked_token_needs_attention(channel, graph):
    route = graph.post(f"/{p.PHONE_NUMBER_ID}/messages").mock(
        return_value=graph_error(400, 130429, "Rate limit hit")
    )
    connector = channel.get_connector()
    with pytest.raises(ConnectorError) as caught:
        connector.reply(p.CITIZEN, "Hola", last_inbound_at=NOW, now=NOW)
    assert not caught.value.permanent and caught.value.retry_after == 60
    route.mock(return_value=graph_error(401, 190, "Error validating access token"))
    with pytest.raises(ConnectorError) as caught:
        connector.reply(p.CITIZEN, "Hola", last_inbound_at=NOW, now=NOW)
    assert caught.value.permanent and caught.value.status == 401


def test_nothing_is_published_to_whatsapp(channel):
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(OutgoingPart("Hola", "ca", 0, 1, "k-0"))
    assert caught.value.permanent and not channel.get_connector().capabilities.publish


def test_health_reads_the_number(channel, graph):
    graph.get(f"/{p.PHONE_NUMBER_ID}").mock(
        return_value=httpx.Response(
            200, json={"verified_name": "Ajuntament", "display_phone_number": "+34 961"}
        )
    )
    assert channel.get_connector().check_health() == "Ajuntament (+34 961)"
