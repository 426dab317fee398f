"""Connect the demo town hall to real networks running on this machine, for trying Pregonero.

After ``bootstrap_demo``: starts the local Mastodon mock, a Synapse homeserver and a Bluesky
network (PDS, and the App View when PostgreSQL answers) on loopback — the same servers the
connector tests use (pregonero/testing/networks.py) — makes an account for the town hall and
one for a neighbour on each, connects the town hall's Mastodon, Matrix and Bluesky channels
through the same connection services the channels pages use, and keeps the servers running
until Ctrl-C. ``demo_networks reply "text"`` (from another terminal) makes the neighbour
answer the town hall's latest post on each server and fetches the answers into the inbox.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings
from django.urls import reverse

from pregonero.accounts.models import Organisation, Person
from pregonero.channels import services
from pregonero.channels.models import Channel
from pregonero.core.management.commands.bootstrap_demo import ADMIN_EMAIL, TOWN_HALL
from pregonero.inbox import ingest
from pregonero.inbox.models import InboundCursor, Message
from pregonero.testing import networks
from pregonero.testing.networks import BlueskyPds, MastodonMock, Synapse, running_at

NETWORKS = ("mastodon", "matrix", "bluesky")
CHANNEL_NAMES = {"mastodon": "Mastodon (local)", "matrix": "Matrix (local)", "bluesky": "Bluesky (local)"}
STATE = networks.ROOT / "var" / "demo-networks.json"
# Where a browser would come back after authorising Pregonero on the instance.
SITE = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Start local Mastodon, Matrix and Bluesky servers and connect the demo town hall to them "
        '(until Ctrl-C); `demo_networks reply "text"` answers its latest post on each as a neighbour.'
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", nargs="?", choices=["start", "reply"], default="start")
        parser.add_argument("text", nargs="?", default="", help="What the neighbour answers (reply).")
        parser.add_argument(
            "--only", default=",".join(NETWORKS), help="Comma-separated networks to start (default: all)."
        )
        parser.add_argument("--once", action="store_true", help="Set up, print, stop the servers and exit.")
        parser.add_argument("--state", default=str(STATE), help="Where the running demo is described.")

    def handle(self, *args, **options) -> None:
        # The servers listen on 127.0.0.1, which outbound calls refuse unless allowed.
        with override_settings(OUTBOUND_ALLOW_PRIVATE=True):
            self._handle(**options)

    def _handle(self, **options) -> None:
        state_path = Path(options["state"])
        if options["action"] == "reply":
            if not options["text"].strip():
                raise CommandError('Say what the neighbour answers: demo_networks reply "text".')
            self._reply(state_path, options["text"].strip())
            return
        chosen = [n.strip() for n in options["only"].split(",") if n.strip()]
        unknown = set(chosen) - set(NETWORKS)
        if unknown:
            raise CommandError(f"Unknown network(s): {', '.join(sorted(unknown))}; choose from {NETWORKS}.")
        self._start(chosen, state_path, once=options["once"])

    # Starting -------------------------------------------------------------------------------

    def _start(self, chosen: list[str], state_path: Path, *, once: bool) -> None:
        town_hall = Organisation.objects.filter(slug=TOWN_HALL["slug"]).first()
        admin = Person.objects.filter(email=ADMIN_EMAIL).first()
        if town_hall is None or admin is None:
            raise CommandError("There is no demo town hall: run `pregonero bootstrap_demo` first.")
        # The servers' files, next to the description of the demo; nothing is kept between runs.
        self.workdir = state_path.with_suffix(".servers")
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        peers: list = []
        state: dict = {"organisation": town_hall.slug}
        try:
            for network in chosen:
                peer, details = getattr(self, f"_start_{network}")(town_hall, admin)
                peers.append(peer)
                state[network] = details
            state_path.parent.mkdir(parents=True, exist_ok=True)
            state_path.write_text(json.dumps(state, indent=2))
            self._explain(state, state_path)
            if once:
                return
            self.stdout.write("Running; press Ctrl-C to stop the servers.")
            # Stopped by its service manager or `kill`: stop the servers the same way.
            signal.signal(signal.SIGTERM, _interrupt)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the local servers.")
        finally:
            for peer in reversed(peers):
                peer.stop()
            state_path.unlink(missing_ok=True)

    def _workdir(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _connect(self, town_hall, admin, network: str, data: dict, *, authorize=None) -> Channel:
        """Connect (or reconnect) the town hall's channel as an admin does on the channels page."""
        name = CHANNEL_NAMES[network]
        channel = Channel.objects.filter(organisation=town_hall, name=name).first()
        return_url = SITE + reverse("channels:connect_return", kwargs={"slug": town_hall.slug})
        result = services.start_connection(
            town_hall,
            actor=admin,
            connector=network,
            data=data,
            return_url=return_url,
            name=name,
            channel=channel,
        )
        if isinstance(result, services.PendingConnection):
            # OAuth: the person authorises on the instance and the browser comes back.
            back = authorize(result.url)
            result = services.finish_connection(
                town_hall,
                actor=admin,
                record=result.record,
                answer=dict(parse_qsl(urlsplit(back).query)),
                return_url=return_url,
            )
        # A new server: what was read from the previous one means nothing here.
        InboundCursor.objects.filter(channel=result).delete()
        return result

    def _start_mastodon(self, town_hall, admin):
        if not Path(sys.executable).with_name("mastodon_mock").exists():
            raise CommandError("The Mastodon mock is a test tool: install it with `make install-test`.")
        self.stdout.write("Starting the Mastodon mock...")
        peer = MastodonMock()
        try:
            ours = peer.new_account("vilanova")
            neighbour = peer.new_account("veina")
            channel = self._connect(
                town_hall,
                admin,
                "mastodon",
                {"instance": peer.url},
                authorize=lambda url: peer.authorize(url, ours["username"]),
            )
        except Exception:
            peer.stop()
            raise
        return peer, {
            "url": peer.url,
            "channel": channel.pk,
            "account": f"@{ours['username']}",
            "account_id": ours["id"],
            "neighbour": {"username": neighbour["username"], "access_token": neighbour["access_token"]},
        }

    def _start_matrix(self, town_hall, admin):
        _install("ensure-synapse", networks.SYNAPSE_PYTHON, "Synapse")
        self.stdout.write("Starting Synapse (Matrix)...")
        peer = Synapse(self._workdir("synapse"))
        try:
            bot = peer.register("vilanova")
            neighbour = peer.register("veina")
            room_id = peer.create_room(neighbour["access_token"], "noticies", invite=[bot["user_id"]])
            data = {
                "homeserver": peer.url,
                "access_token": bot["access_token"],
                "room": "#noticies:localhost",
            }
            channel = self._connect(town_hall, admin, "matrix", data)
        except Exception:
            peer.stop()
            raise
        return peer, {
            "url": peer.url,
            "channel": channel.pk,
            "account": bot["user_id"],
            "room_id": room_id,
            "room": "#noticies:localhost",
            "neighbour": {"user_id": neighbour["user_id"], "access_token": neighbour["access_token"]},
        }

    def _start_bluesky(self, town_hall, admin):
        _install("ensure-bluesky-pds", networks.BLUESKY_DEV_ENV, "The Bluesky PDS")
        if shutil.which("unshare") is None:
            raise CommandError("`unshare` (util-linux) is needed to keep the Bluesky servers on loopback.")
        appview = networks.postgres_reachable()
        self.stdout.write(
            "Starting a Bluesky network (PLC, PDS and App View)..."
            if appview
            else "Starting a Bluesky PDS (no PostgreSQL: without an App View, replies cannot be read)..."
        )
        peer = BlueskyPds(self._workdir("bluesky"), appview=appview)
        try:
            ours = peer.create_account("vilanova")
            neighbour = peer.create_account("veina")
            data = {
                "service": peer.url,
                "identifier": ours["handle"],
                "app_password": peer.app_password(ours),
            }
            channel = self._connect(town_hall, admin, "bluesky", data)
        except Exception:
            peer.stop()
            raise
        return peer, {
            "url": peer.url,
            "channel": channel.pk,
            "account": f"@{ours['handle']}",
            "did": ours["did"],
            "appview": appview,
            "neighbour": {"handle": neighbour["handle"], "password": neighbour["password"]},
        }

    def _explain(self, state: dict, state_path: Path) -> None:
        lines = ["", "The demo town hall is connected to servers on this machine:", ""]
        for network in NETWORKS:
            if network in state:
                details = state[network]
                lines.append(f"    {CHANNEL_NAMES[network]:<18} {details['account']:<28} {details['url']}")
        lines += [
            "",
            "Publish a post to these channels from Pregonero; the web server and the worker must be",
            "allowed to reach loopback addresses:",
            "",
            "    OUTBOUND_ALLOW_PRIVATE=true make run",
            "",
            "Then make a neighbour answer the latest post on each server (another terminal):",
            "",
            '    .venv/bin/pregonero demo_networks reply "Obri també els dilluns?"',
            "",
            "The answers are fetched into the inbox at once (and by the worker every minute).",
        ]
        if "bluesky" in state and not state["bluesky"]["appview"]:
            lines.append("Bluesky answers cannot be read without the App View, which needs PostgreSQL.")
        lines += [f"(This demo is described in {state_path}; the servers keep nothing after they stop.)", ""]
        self.stdout.write("\n".join(lines))

    # Replying -------------------------------------------------------------------------------

    def _reply(self, state_path: Path, text: str) -> None:
        try:
            state = json.loads(state_path.read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(
                "No local networks are running: start them with `pregonero demo_networks` first."
            ) from exc
        for network in NETWORKS:
            if network not in state:
                continue
            details = state[network]
            try:
                answered = getattr(self, f"_reply_{network}")(details, text)
            except httpx.HTTPError as exc:
                raise CommandError(
                    f"{CHANNEL_NAMES[network]} does not answer at {details['url']} ({exc}): "
                    "is `pregonero demo_networks` still running?"
                ) from exc
            if not answered:
                self.stdout.write(f"{CHANNEL_NAMES[network]}: nothing published there yet.")
                continue
            channel = Channel.objects.get(pk=details["channel"])
            arrived = _fetch(channel, wait=network == "bluesky" and details["appview"])
            self.stdout.write(
                f"{CHANNEL_NAMES[network]}: the neighbour answered; "
                + ("it is in the inbox." if arrived else "not in the inbox yet (the worker fetches it).")
            )

    @staticmethod
    def _reply_mastodon(details: dict, text: str) -> bool:
        peer = running_at(MastodonMock, details["url"])
        statuses = peer.statuses_of(details["account_id"])
        if not statuses:
            return False
        neighbour = details["neighbour"]
        peer.post(neighbour["access_token"], f"{details['account']} {text}", in_reply_to_id=statuses[0]["id"])
        return True

    @staticmethod
    def _reply_matrix(details: dict, text: str) -> bool:
        peer = running_at(Synapse, details["url"])
        neighbour = details["neighbour"]
        ours = [
            e
            for e in peer.events(neighbour["access_token"], details["room_id"])
            if e["sender"] == details["account"]
        ]
        if not ours:
            return False
        content = {
            "msgtype": "m.text",
            "body": text,
            "m.relates_to": {"m.in_reply_to": {"event_id": ours[0]["event_id"]}},
        }
        peer.send(neighbour["access_token"], details["room_id"], content)
        return True

    @staticmethod
    def _reply_bluesky(details: dict, text: str) -> bool:
        peer = running_at(BlueskyPds, details["url"])
        records = sorted(peer.records(details["did"]), key=lambda r: r["value"]["createdAt"], reverse=True)
        if not records:
            return False
        latest = records[0]
        root = latest["value"].get("reply", {}).get("root")
        neighbour = peer.login(details["neighbour"]["handle"], details["neighbour"]["password"])
        peer.reply(neighbour, latest, text, root=root)
        return True


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _fetch(channel: Channel, *, wait: bool) -> bool:
    """Fetch the channel's new messages; an App View indexes a moment after the record."""
    before = Message.objects.filter(channel=channel).count()
    for _attempt in range(50 if wait else 1):
        ingest.ingest_channel(channel)
        if Message.objects.filter(channel=channel).count() > before:
            return True
        if wait:
            time.sleep(0.2)
    return False


def _install(script: str, installed: Path, what: str) -> None:
    if installed.exists():
        return
    result = subprocess.run(  # noqa: S603 - the project's own install script
        [str(networks.ROOT / "scripts" / script)], capture_output=True, text=True
    )
    if result.returncode != 0 or not installed.exists():
        raise CommandError(
            f"{what} could not be installed by scripts/{script}: {result.stderr.strip()[-500:]}"
        )
