"""``manage.py demo_networks``: the demo town hall connected to servers on this machine.

The parts that do not block: setting up and stopping with ``--once`` (on the Mastodon mock,
which starts in a moment; Synapse and the Bluesky network are the peers of
test_all_networks.py), and a neighbour's reply coming into the inbox.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pregonero.accounts.models import Organisation
from pregonero.audit.models import AuditEntry
from pregonero.channels.models import Channel, Health
from pregonero.core.management.commands.bootstrap_demo import TOWN_HALL, bootstrap
from pregonero.inbox.models import Message
from pregonero.testing.networks import free_port

pytestmark = pytest.mark.django_db


def _run(*args, state) -> str:
    out = io.StringIO()
    call_command("demo_networks", *args, "--state", str(state), stdout=out)
    return out.getvalue()


def test_the_demo_connects_its_town_hall_to_the_local_mastodon_and_says_how_to_reply(tmp_path):
    bootstrap()
    printed = _run("--once", "--only", "mastodon", state=tmp_path / "demo.json")
    town_hall = Organisation.objects.get(slug=TOWN_HALL["slug"])
    channel = Channel.objects.get(organisation=town_hall, name="Mastodon (local)")
    assert channel.connector == "mastodon"
    assert channel.health == Health.OK
    assert channel.config["instance"].startswith("http://127.0.0.1:")
    assert channel.config["instance"] in printed
    assert 'demo_networks reply "' in printed
    assert "OUTBOUND_ALLOW_PRIVATE=true" in printed
    assert AuditEntry.objects.filter(action="channel.connected", organisation=town_hall).count() == 1
    # --once stops the servers, so nothing describes a running demo any more.
    assert not (tmp_path / "demo.json").exists()


def test_running_the_demo_again_reconnects_the_same_channel(tmp_path):
    bootstrap()
    _run("--once", "--only", "mastodon", state=tmp_path / "demo.json")
    _run("--once", "--only", "mastodon", state=tmp_path / "demo.json")
    town_hall = Organisation.objects.get(slug=TOWN_HALL["slug"])
    assert Channel.objects.filter(organisation=town_hall, name="Mastodon (local)").count() == 1
    assert AuditEntry.objects.filter(action="channel.reconnected", organisation=town_hall).count() == 1


def test_the_demo_needs_the_demo_town_hall_first(tmp_path):
    with pytest.raises(CommandError, match="bootstrap_demo"):
        _run("--once", "--only", "mastodon", state=tmp_path / "demo.json")


def test_an_unknown_network_is_refused(tmp_path):
    bootstrap()
    with pytest.raises(CommandError, match="Unknown network"):
        _run("--once", "--only", "myspace", state=tmp_path / "demo.json")


def test_a_reply_needs_a_running_demo(tmp_path):
    with pytest.raises(CommandError, match="No local networks are running"):
        _run("reply", "Hola", state=tmp_path / "demo.json")


def test_a_reply_to_servers_that_stopped_says_so(tmp_path):
    state = tmp_path / "demo.json"
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    state.write_text(json.dumps({"mastodon": {"url": url, "account_id": "1", "channel": 1}}))
    with pytest.raises(CommandError, match="does not answer"):
        _run("reply", "Hola", state=state)


def test_a_neighbours_reply_to_our_latest_post_comes_into_the_inbox(
    tmp_path, mastodon, mastodon_account, mastodon_channel
):
    mastodon.post(mastodon_account["access_token"], "Dissabte obri la piscina.")
    neighbour = mastodon.new_account(f"veina{mastodon_account['id']}")
    state = tmp_path / "demo.json"
    state.write_text(
        json.dumps(
            {
                "mastodon": {
                    "url": mastodon.url,
                    "channel": mastodon_channel.pk,
                    "account": f"@{mastodon_account['username']}",
                    "account_id": mastodon_account["id"],
                    "neighbour": {
                        "username": neighbour["username"],
                        "access_token": neighbour["access_token"],
                    },
                }
            }
        )
    )
    printed = _run("reply", "Obri també els dilluns?", state=state)
    assert "Mastodon (local): the neighbour answered; it is in the inbox." in printed
    message = Message.objects.get(channel=mastodon_channel)
    assert "Obri també els dilluns?" in message.text
    assert message.author_handle.startswith(f"@{neighbour['username']}")
