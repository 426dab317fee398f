"""Contract tests of the Telegram connector: each Bot API exchange it makes, mocked with respx
as the Bot API reference documents requests and answers, errors and rate limits included."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from django.urls import reverse

from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia, OutgoingPart
from pregonero.channels.models import Channel
from pregonero.channels.tests.payloads import telegram as p
from pregonero.channels.tests.test_mastodon import PNG

TOKEN = "7351194826:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
API = f"https://api.telegram.org/bot{TOKEN}"


def ok(result) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": result})


def failed(status: int, description: str, **parameters) -> httpx.Response:
    body = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return httpx.Response(status, json=body)


def part(text: str, **values) -> OutgoingPart:
    return OutgoingPart(text=text, language="ca", index=0, total=1, idempotency_key="k-0", **values)


@pytest.fixture
def api(settings):
    # respx answers in place of api.telegram.org; no name resolution is needed.
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(base_url=API, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def channel(vilanova) -> Channel:
    channel = Channel(
        organisation=vilanova,
        connector="telegram",
        name="Telegram",
        config={
            "chat_id": p.CHANNEL_CHAT["id"],
            "chat": "@ajvilanova",
            "chat_title": "Ajuntament de Vilanova",
            "chat_username": "ajvilanova",
            "bot_id": p.BOT_ID,
            "bot_username": "VilanovaAjuntamentBot",
        },
    )
    channel.set_secret_values({"bot_token": TOKEN})
    channel.save()
    return channel


def admin_member(**rights):
    return {"user": p.BOT, "status": "administrator", "can_post_messages": True, **rights}


def test_an_admin_connects_a_channel_with_the_bots_token(client_for, alba, vilanova, api):
    api.post("/getMe").mock(return_value=ok(p.BOT))
    chat = api.post("/getChat").mock(return_value=ok(p.CHANNEL_CHAT))
    api.post("/getChatMember").mock(return_value=ok(admin_member()))
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "telegram"]),
        {"name": "Canal de Telegram", "account-bot_token": TOKEN, "account-chat": "https://t.me/ajvilanova"},
    )
    assert response.status_code == 302
    assert json.loads(chat.calls.last.request.content) == {"chat_id": "@ajvilanova"}
    channel = Channel.objects.get(name="Canal de Telegram")
    assert channel.config["chat_id"] == -1001234567890
    assert channel.config["account"] == "@VilanovaAjuntamentBot → Ajuntament de Vilanova"
    assert channel.secret_values() == {"bot_token": TOKEN}
    assert TOKEN not in json.dumps(channel.config)


def test_a_bot_that_may_not_post_is_refused(client_for, alba, vilanova, api):
    api.post("/getMe").mock(return_value=ok(p.BOT))
    api.post("/getChat").mock(return_value=ok(p.CHANNEL_CHAT))
    api.post("/getChatMember").mock(return_value=ok({"user": p.BOT, "status": "member"}))
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "telegram"]),
        {"name": "T", "account-bot_token": TOKEN, "account-chat": "@ajvilanova"},
    )
    assert response.status_code == 200
    assert "make it an administrator" in response.content.decode()
    assert not Channel.objects.filter(name="T").exists()


def test_a_revoked_token_is_refused_and_not_echoed(client_for, alba, vilanova, api):
    api.post("/getMe").mock(return_value=failed(401, "Unauthorized"))
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "telegram"]),
        {"name": "T", "account-bot_token": TOKEN, "account-chat": "@ajvilanova"},
    )
    body = response.content.decode()
    assert "does not accept this bot token" in body
    assert TOKEN not in body


def test_a_group_is_not_a_channel(client_for, alba, vilanova, api):
    api.post("/getMe").mock(return_value=ok(p.BOT))
    api.post("/getChat").mock(return_value=ok(p.GROUP))
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "telegram"]),
        {"name": "T", "account-bot_token": TOKEN, "account-chat": "@veinsbarriantic"},
    )
    assert "This is not a channel" in response.content.decode()


def test_a_malformed_token_is_an_error_on_its_field(client_for, alba, vilanova):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "telegram"]),
        {"name": "T", "account-bot_token": "not a token", "account-chat": "ajvilanova"},
    )
    body = response.content.decode()
    assert "does not look like a bot token" in body and "numeric id starting with -100" in body


def test_text_goes_with_send_message(channel, api):
    route = api.post("/sendMessage").mock(return_value=ok({"message_id": 301, "chat": p.CHANNEL_CHAT}))
    result = channel.get_connector().publish(part("Obrim la piscina dissabte! 🏊 Гарна новина"))
    assert json.loads(route.calls.last.request.content) == {
        "chat_id": -1001234567890,
        "text": "Obrim la piscina dissabte! 🏊 Гарна новина",
    }
    assert (result.remote_id, result.url) == ("301", "https://t.me/ajvilanova/301")


def test_an_image_carries_a_short_text_as_its_caption(channel, api, tmp_path):
    image = tmp_path / "cartell.png"
    image.write_bytes(PNG)
    route = api.post("/sendPhoto").mock(return_value=ok({"message_id": 302, "caption": "Festa"}))
    result = channel.get_connector().publish(
        part("Festa major", media=(OutgoingMedia(str(image), "image/png", "Cartell"),))
    )
    request = route.calls.last.request
    assert b'name="caption"\r\n\r\nFesta major' in request.content
    assert b'name="photo"\r\n\r\nattach://photo0' in request.content
    assert PNG in request.content
    assert result.remote_id == "302"


def test_a_text_too_long_for_a_caption_follows_the_images(channel, api, tmp_path):
    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    album = api.post("/sendMediaGroup").mock(return_value=ok([{"message_id": 303}, {"message_id": 304}]))
    text_route = api.post("/sendMessage").mock(return_value=ok({"message_id": 305}))
    media = tuple(OutgoingMedia(str(image), "image/png", "") for _ in range(2))
    result = channel.get_connector().publish(part("ŀ" * 1500, media=media))
    assert b"caption" not in album.calls.last.request.content
    assert json.loads(text_route.calls.last.request.content)["text"] == "ŀ" * 1500
    assert (result.remote_id, result.url) == ("303,304,305", "https://t.me/ajvilanova/305")


def test_a_rate_limit_waits_as_long_as_telegram_says(channel, api):
    api.post("/sendMessage").mock(
        return_value=failed(429, "Too Many Requests: retry after 17", retry_after=17)
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    assert not caught.value.permanent and caught.value.retry_after == 17


def test_losing_the_right_to_post_is_permanent_and_asks_for_attention(channel, api):
    api.post("/sendMessage").mock(
        return_value=failed(403, "Forbidden: bot is not a member of the channel chat")
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    error = caught.value
    assert error.permanent and error.status == 403
    assert "make it an administrator" in str(error)
    assert TOKEN not in str(error) and TOKEN not in error.detail


def test_a_server_error_is_temporary(channel, api):
    api.post("/sendMessage").mock(return_value=failed(502, "Bad Gateway"))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("Hola"))
    assert not caught.value.permanent and caught.value.ambiguous


def test_a_refused_text_is_permanent(channel, api):
    api.post("/sendMessage").mock(return_value=failed(400, "Bad Request: message is too long"))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().publish(part("x"))
    assert caught.value.permanent and caught.value.status == 400


def test_deleting_removes_every_message_and_tolerates_gone_ones(channel, api):
    route = api.post("/deleteMessage").mock(
        side_effect=[ok(True), failed(400, "Bad Request: message to delete not found")]
    )
    channel.get_connector().delete("303,304")
    bodies = [json.loads(call.request.content) for call in route.calls]
    assert [body["message_id"] for body in bodies] == [303, 304]


def test_health_checks_the_token_and_the_right_to_post(channel, api):
    api.post("/getMe").mock(return_value=ok(p.BOT))
    member = api.post("/getChatMember").mock(return_value=ok(admin_member()))
    assert channel.get_connector().check_health() == "@VilanovaAjuntamentBot → Ajuntament de Vilanova"
    member.mock(return_value=ok(admin_member(can_post_messages=False)))
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().check_health()
    assert caught.value.permanent


def test_inbound_reads_updates_from_the_offset(channel, api):
    route = api.post("/getUpdates").mock(return_value=ok([p.PRIVATE_TEXT, p.PRIVATE_PHOTO, p.REACTION]))
    batch = channel.get_connector().fetch_inbound("918273001")
    sent = json.loads(route.calls.last.request.content)
    assert sent["offset"] == 918273001 and sent["allowed_updates"] == ["message", "edited_message"]
    assert [m.remote_id for m in batch.messages] == ["52011377:15", "60099311:7"]
    assert batch.cursor == "918273011"


def test_inbound_while_a_webhook_is_set_says_so(channel, api):
    api.post("/getUpdates").mock(
        return_value=failed(409, "Conflict: can't use getUpdates method while webhook is active")
    )
    with pytest.raises(ConnectorError) as caught:
        channel.get_connector().fetch_inbound(None)
    assert caught.value.permanent and "webhook" in str(caught.value)


def test_a_reply_answers_in_the_persons_chat(channel, api):
    route = api.post("/sendMessage").mock(return_value=ok({"message_id": 16}))
    remote_id = channel.get_connector().reply("52011377", "A les 10 h.", in_reply_to="52011377:15")
    sent = json.loads(route.calls.last.request.content)
    assert sent["reply_parameters"]["message_id"] == 15 and sent["chat_id"] == "52011377"
    assert remote_id == "52011377:16"


def test_threads_are_not_offered_so_the_composer_asks_to_shorten(channel):
    connector = channel.get_connector()
    assert not connector.capabilities.thread
    assert (connector.limits.max_length, connector.limits.length_method) == (4096, "utf16")
