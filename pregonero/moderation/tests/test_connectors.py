"""Contract tests of the moderation calls of the networks reached through respx (Meta's Graph
API, the Telegram Bot API, the X API), as each network documents the request and its answers;
and the capabilities each connector declares."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import respx

from pregonero.channels.connectors import connector_class
from pregonero.channels.connectors.base import ConnectorError, ModerationTarget
from pregonero.channels.connectors.meta.client import GRAPH
from pregonero.channels.connectors.telegram.client import API as TELEGRAM_API
from pregonero.channels.models import Channel
from pregonero.channels.tests.test_meta import form, graph_error

pytestmark = pytest.mark.django_db

TARGET = ModerationTarget(remote_id="111_222", author_id="9001", conversation="111")


def make(vilanova, connector: str, config: dict, secrets: dict) -> Channel:
    channel = Channel(organisation=vilanova, connector=connector, name=connector, config=config)
    channel.set_secret_values(secrets)
    channel.save()
    return channel


@pytest.fixture
def graph(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(base_url=GRAPH, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def facebook(vilanova):
    return make(
        vilanova, "facebook", {"page_id": "111", "page_name": "Ajuntament"}, {"page_token": "page-token"}
    )


@pytest.fixture
def instagram(vilanova):
    return make(vilanova, "instagram", {"ig_id": "178", "page_id": "111"}, {"page_token": "page-token"})


@pytest.mark.parametrize(
    ("network", "moderation"),
    [
        ("facebook", {"hide", "delete"}),
        ("instagram", {"hide", "delete"}),
        ("x", {"hide"}),
        ("mastodon", {"block"}),
        ("bluesky", {"block"}),
        ("matrix", {"delete", "block"}),
        ("telegram", {"delete", "block"}),
        ("whatsapp", set()),
        ("linkedin", set()),
        ("website", set()),
    ],
)
def test_each_network_declares_what_it_lets_pregonero_moderate(network, moderation):
    assert connector_class(network).capabilities.moderation == frozenset(moderation)


def test_a_facebook_comment_is_hidden_and_shown_again_with_is_hidden(facebook, graph):
    route = graph.post("/111_222").mock(return_value=httpx.Response(200, json={"success": True}))
    connector = facebook.get_connector()
    connector.hide_message(TARGET)
    connector.unhide_message(TARGET)
    assert [form(call.request) for call in route.calls] == [{"is_hidden": "true"}, {"is_hidden": "false"}]
    assert route.calls[0].request.headers["Authorization"] == "Bearer page-token"


def test_an_instagram_comment_is_hidden_with_hide(instagram, graph):
    route = graph.post("/1790001").mock(return_value=httpx.Response(200, json={"success": True}))
    instagram.get_connector().hide_message(ModerationTarget("1790001", "55"))
    assert form(route.calls.last.request) == {"hide": "true"}


def test_a_comment_is_deleted_and_one_already_gone_counts_as_deleted(facebook, instagram, graph):
    gone = graph.delete("/111_222").mock(return_value=graph_error(404, 100, "Unsupported delete request."))
    facebook.get_connector().delete_message(TARGET)
    route = graph.delete("/1790001").mock(return_value=httpx.Response(200, json={"success": True}))
    instagram.get_connector().delete_message(ModerationTarget("1790001", "55"))
    assert gone.called and route.called


def test_a_page_without_the_moderation_permission_is_a_permanent_error(facebook, graph):
    graph.post("/111_222").mock(return_value=graph_error(403, 200, "Permissions error"))
    with pytest.raises(ConnectorError) as raised:
        facebook.get_connector().hide_message(TARGET)
    assert raised.value.permanent and "Page roles" in str(raised.value)


@pytest.fixture
def telegram_api(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with respx.mock(base_url=TELEGRAM_API, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def telegram(vilanova):
    return make(
        vilanova,
        "telegram",
        {"chat_id": -100123, "chat": "@ajvilanova", "bot_id": "42", "bot_username": "VilaBot"},
        {"bot_token": "123:abc"},
    )


def test_telegram_deletes_a_group_message_and_bans_and_unbans_its_author(telegram, telegram_api):
    delete = telegram_api.post("/bot123:abc/deleteMessage").mock(
        return_value=httpx.Response(200, json={"ok": True, "result": True})
    )
    ban = telegram_api.post("/bot123:abc/banChatMember").mock(
        return_value=httpx.Response(200, json={"ok": True, "result": True})
    )
    unban = telegram_api.post("/bot123:abc/unbanChatMember").mock(
        return_value=httpx.Response(200, json={"ok": True, "result": True})
    )
    target = ModerationTarget(remote_id="-100555:77", author_id="9001", conversation="-100555")
    connector = telegram.get_connector()
    connector.delete_message(target)
    connector.block_account(target)
    connector.unblock_account(target)
    assert json.loads(delete.calls.last.request.content) == {"chat_id": "-100555", "message_id": 77}
    assert json.loads(ban.calls.last.request.content) == {
        "chat_id": "-100555",
        "user_id": 9001,
        "until_date": 0,
    }
    assert json.loads(unban.calls.last.request.content) == {
        "chat_id": "-100555",
        "user_id": 9001,
        "only_if_banned": True,
    }


def test_telegram_refuses_a_ban_when_the_bot_may_not_restrict_members(telegram, telegram_api):
    telegram_api.post("/bot123:abc/banChatMember").mock(
        return_value=httpx.Response(
            400, json={"ok": False, "error_code": 400, "description": "Bad Request: not enough rights"}
        )
    )
    with pytest.raises(ConnectorError) as raised:
        telegram.get_connector().block_account(ModerationTarget("-100555:77", "9001", "-100555"))
    assert raised.value.permanent


def test_x_hides_a_reply_and_shows_it_again(vilanova, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    channel = make(
        vilanova,
        "x",
        {"user_id": "1", "username": "ajvilanova"},
        {"access_token": "acc-1", "refresh_token": "ref-1", "expires_at": time.time() + 3600},
    )
    with respx.mock(base_url="https://api.x.com") as api:
        route = api.put("/2/tweets/1850/hidden").mock(
            return_value=httpx.Response(200, json={"data": {"hidden": True}})
        )
        connector = channel.get_connector()
        connector.hide_message(ModerationTarget("1850", "77"))
        connector.unhide_message(ModerationTarget("1850", "77"))
    assert [json.loads(call.request.content) for call in route.calls] == [{"hidden": True}, {"hidden": False}]
    assert route.calls.last.request.headers["Authorization"] == "Bearer acc-1"
