"""The Matrix client-server API calls Pregonero makes, each through :mod:`pregonero.channels.outbound`.

Plain HTTP rather than matrix-nio: nio is asyncio-only (the worker is synchronous) and would
open its own connections past the outbound guard; Pregonero needs a dozen endpoints of the
stable ``/v3`` API, all idempotent by transaction id.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pregonero.channels import outbound
from pregonero.channels.connectors.base import OutgoingMedia

CLIENT = "/_matrix/client/v3"
MESSAGES_PAGE = 100


def _q(value: str) -> str:
    # Room ids, aliases and event ids carry '!', '#', '$' and ':' that must be escaped in a path.
    return quote(value, safe="")


class MatrixClient:
    def __init__(self, homeserver: str, token: str):
        self.homeserver = homeserver.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, **kwargs) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        response = outbound.request(method, f"{self.homeserver}{path}", headers=headers, **kwargs)
        return response.json() if response.content else {}

    def whoami(self) -> dict[str, Any]:
        return self.call("GET", f"{CLIENT}/account/whoami")

    def join(self, room: str) -> str:
        """Join a room by id or alias (accepting an invitation); return its id."""
        return self.call("POST", f"{CLIENT}/join/{_q(room)}", json={})["room_id"]

    def joined_rooms(self) -> list[str]:
        return self.call("GET", f"{CLIENT}/joined_rooms")["joined_rooms"]

    def send(self, room_id: str, content: dict[str, Any], txn_id: str) -> str:
        """Send one message event; the same ``txn_id`` again returns the same event id."""
        path = f"{CLIENT}/rooms/{_q(room_id)}/send/m.room.message/{_q(txn_id)}"
        return self.call("PUT", path, json=content)["event_id"]

    def redact(self, room_id: str, event_id: str, txn_id: str) -> None:
        self.call("PUT", f"{CLIENT}/rooms/{_q(room_id)}/redact/{_q(event_id)}/{_q(txn_id)}", json={})

    def ban(self, room_id: str, user_id: str, reason: str = "") -> None:
        self.call("POST", f"{CLIENT}/rooms/{_q(room_id)}/ban", json={"user_id": user_id, "reason": reason})

    def unban(self, room_id: str, user_id: str) -> None:
        self.call("POST", f"{CLIENT}/rooms/{_q(room_id)}/unban", json={"user_id": user_id})

    def upload(self, media: OutgoingMedia) -> tuple[str, int]:
        """Upload a file to the media repository; return its ``mxc://`` URI and size."""
        path = Path(media.path)
        data = path.read_bytes()
        mime = media.mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        answer = self.call(
            "POST",
            "/_matrix/media/v3/upload",
            params={"filename": path.name},
            content=data,
            headers={"Content-Type": mime},
        )
        return answer["content_uri"], len(data)

    def messages(self, room_id: str, cursor: str | None) -> dict[str, Any]:
        """Events after ``cursor`` (forwards), or the latest page when there is none."""
        params: dict[str, Any] = {"limit": MESSAGES_PAGE, "dir": "f" if cursor else "b"}
        if cursor:
            params["from"] = cursor
        return self.call("GET", f"{CLIENT}/rooms/{_q(room_id)}/messages", params=params)
