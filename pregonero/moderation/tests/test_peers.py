"""Moderation against real peers: blocking on the Mastodon mock, redacting and banning on a
real Synapse, each through the register (pregonero.moderation.services)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from pregonero.channels.connectors.base import ConnectorError, ModerationTarget
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.tests.conftest import _ACCOUNTS
from pregonero.inbox import ingest
from pregonero.inbox.models import Message
from pregonero.inbox.tests.fakes import message
from pregonero.moderation import services
from pregonero.moderation.models import Action, Outcome

pytestmark = pytest.mark.django_db


def relationship(peer, token: str, account_id: str) -> dict:
    answer = httpx.get(
        f"{peer.url}/api/v1/accounts/relationships",
        params={"id[]": account_id},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return answer.json()[0]


def test_a_mastodon_account_is_blocked_and_unblocked(
    mastodon, mastodon_account, mastodon_channel, ana, respectful
):
    citizen = mastodon.new_account(f"veina{next(_ACCOUNTS)}")
    ingest.store(
        mastodon_channel,
        message("109", "Lladres!", author=str(citizen["id"]), handle=f"@{citizen['username']}"),
    )
    reply = Message.objects.get(remote_id="109")
    assert services.allowed_actions(reply) == [Action.BLOCK]

    blocked = services.moderate(reply, action=Action.BLOCK, rule=respectful, actor=ana)
    assert blocked.carried_out
    assert relationship(mastodon, mastodon_account["access_token"], citizen["id"])["blocking"] is True
    services.reverse(blocked, actor=ana, note="Appeal accepted.")
    assert relationship(mastodon, mastodon_account["access_token"], citizen["id"])["blocking"] is False


def test_a_mastodon_token_without_the_blocks_scope_asks_to_reconnect(mastodon, mastodon_channel):
    citizen = mastodon.new_account(f"veina{next(_ACCOUNTS)}")
    mastodon.fault("POST", f"/api/v1/accounts/{citizen['id']}/block", status=403)
    with pytest.raises(ConnectorError) as raised:
        mastodon_channel.get_connector().block_account(ModerationTarget("1", str(citizen["id"])))
    assert raised.value.permanent and "reconnect the channel" in str(raised.value)


def _state(peer, token: str, room_id: str, kind: str, key: str = "") -> dict:
    path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/state/{kind}/{quote(key, safe='')}"
    return peer._call("GET", path, token)


def _make_moderator(peer, room: dict) -> None:
    """The room's creator gives the organisation's account the moderator's power level."""
    token, room_id = room["citizen"]["access_token"], room["room_id"]
    levels = _state(peer, token, room_id, "m.room.power_levels")
    levels.setdefault("users", {})[room["bot"]["user_id"]] = 50
    path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/state/m.room.power_levels/"
    peer._call("PUT", path, token, json=levels)


def _troll(peer, room: dict) -> dict:
    troll = peer.register(f"troll{next(_ACCOUNTS)}")
    peer._call(
        "POST", f"/_matrix/client/v3/join/{quote(room['room_id'], safe='')}", troll["access_token"], json={}
    )
    return troll


def test_a_matrix_message_is_redacted_and_its_author_banned_then_unbanned(
    synapse, matrix_room, matrix_channel, ana, respectful
):
    _make_moderator(synapse, matrix_room)
    ingest.ingest_channel(matrix_channel)
    troll = _troll(synapse, matrix_room)
    event = synapse.send(
        troll["access_token"], matrix_room["room_id"], {"msgtype": "m.text", "body": "@ayto sou uns lladres"}
    )
    ingest.store(
        matrix_channel,
        message(
            event,
            "@ayto sou uns lladres",
            kind=MessageKind.MENTION,
            author=troll["user_id"],
            handle=troll["user_id"],
            in_reply_to=None,
            conversation=matrix_room["room_id"],
        ),
    )
    stored = Message.objects.get(remote_id=event)
    assert services.allowed_actions(stored) == [Action.DELETE, Action.BLOCK]

    deleted = services.moderate(stored, action=Action.DELETE, rule=respectful, actor=ana)
    assert deleted.carried_out and deleted.content == "@ayto sou uns lladres"
    path = f"/_matrix/client/v3/rooms/{quote(matrix_room['room_id'], safe='')}/event/{quote(event, safe='')}"
    assert synapse._call("GET", path, matrix_room["citizen"]["access_token"])["content"] == {}
    assert Message.objects.get(pk=stored.pk).text == "@ayto sou uns lladres"

    banned = services.moderate(stored, action=Action.BLOCK, rule=respectful, actor=ana)
    token, room_id = matrix_room["citizen"]["access_token"], matrix_room["room_id"]
    assert banned.carried_out
    assert _state(synapse, token, room_id, "m.room.member", troll["user_id"])["membership"] == "ban"
    services.reverse(banned, actor=ana)
    assert _state(synapse, token, room_id, "m.room.member", troll["user_id"])["membership"] == "leave"


def test_without_the_power_level_matrix_refuses_and_the_register_says_so(
    synapse, matrix_room, matrix_channel, ana, respectful
):
    troll = _troll(synapse, matrix_room)
    event = synapse.send(troll["access_token"], matrix_room["room_id"], {"msgtype": "m.text", "body": "spam"})
    ingest.store(
        matrix_channel,
        message(event, "spam", kind=MessageKind.MENTION, author=troll["user_id"], handle=troll["user_id"]),
    )
    decision = services.moderate(
        Message.objects.get(remote_id=event), action=Action.DELETE, rule=respectful, actor=ana
    )
    assert decision.network_outcome == Outcome.FAILED and "power level" in decision.network_error


def test_a_bluesky_account_is_blocked_with_a_record_and_unblocked_by_deleting_it(
    bluesky, bluesky_account, bluesky_channel, ana, respectful
):
    citizen = bluesky.create_account(f"veina{next(_ACCOUNTS)}")
    ingest.store(
        bluesky_channel,
        message(
            f"at://{citizen['did']}/app.bsky.feed.post/3kabc",
            "Lladres!",
            author=citizen["did"],
            handle=f"@{citizen['handle']}",
        ),
    )
    reply = Message.objects.get(channel=bluesky_channel)
    assert services.allowed_actions(reply) == [Action.BLOCK]

    blocked = services.moderate(reply, action=Action.BLOCK, rule=respectful, actor=ana)
    assert blocked.carried_out
    [record] = bluesky.records(bluesky_account["did"], "app.bsky.graph.block")
    assert record["value"]["subject"] == citizen["did"]
    assert record["uri"].endswith(f"/{blocked.network_reference}")
    services.reverse(blocked, actor=ana)
    assert bluesky.records(bluesky_account["did"], "app.bsky.graph.block") == []
