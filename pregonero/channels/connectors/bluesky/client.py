"""XRPC calls to a Bluesky PDS, each through :mod:`pregonero.channels.outbound`.

Plain HTTP rather than the ``atproto`` SDK: every call must pass the outbound guard (the PDS
address is typed by a person), and a connector needs eight procedures. Sessions: an access
token (short-lived) and a refresh token; when the access token has expired the session is
refreshed, and when that fails too, a new one is made with the app password.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pregonero.channels import outbound

Session = dict[str, str]


def _expired(error: outbound.HttpError) -> bool:
    # The PDS answers 400 {"error": "ExpiredToken"} (older) or 401 for an expired access token.
    return error.status in {400, 401} and ("ExpiredToken" in error.detail or "InvalidToken" in error.detail)


class BlueskyClient:
    """Calls on one PDS. ``session`` holds ``accessJwt``/``refreshJwt``; ``on_session`` is told
    when they change, so the channel can keep them."""

    def __init__(
        self,
        service: str,
        *,
        identifier: str = "",
        password: str = "",
        session: Session | None = None,
        on_session: Callable[[Session], None] | None = None,
    ):
        self.service = service.rstrip("/")
        self.identifier, self.password = identifier, password
        self.session: Session = dict(session or {})
        self.on_session = on_session

    def _request(self, method: str, nsid: str, token: str | None = None, **kwargs) -> Any:
        headers = {**kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = outbound.request(method, f"{self.service}/xrpc/{nsid}", headers=headers, **kwargs)
        return response.json() if response.content else {}

    def login(self) -> Session:
        answer = self._request(
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": self.identifier, "password": self.password},
        )
        self._keep(answer)
        return answer

    def _refresh(self) -> None:
        try:
            answer = self._request(
                "POST", "com.atproto.server.refreshSession", self.session.get("refreshJwt")
            )
        except outbound.HttpError as error:
            if error.permanent and self.password:
                self.login()
                return
            raise
        self._keep(answer)

    def _keep(self, answer: dict) -> None:
        self.session = {
            key: answer[key] for key in ("accessJwt", "refreshJwt", "did", "handle") if key in answer
        }
        if self.on_session:
            self.on_session(self.session)

    def call(self, method: str, nsid: str, **kwargs) -> Any:
        """An authenticated call; an expired session is renewed once and the call repeated."""
        if not self.session.get("accessJwt"):
            self.login()
        try:
            return self._request(method, nsid, self.session["accessJwt"], **kwargs)
        except outbound.HttpError as error:
            if not _expired(error):
                raise
        self._refresh()
        return self._request(method, nsid, self.session["accessJwt"], **kwargs)

    def logout(self) -> None:
        """End the session (its refresh token); the app password itself stays valid."""
        self._request("POST", "com.atproto.server.deleteSession", self.session.get("refreshJwt"))

    @property
    def did(self) -> str:
        return self.session["did"]

    def get_session(self) -> dict:
        return self.call("GET", "com.atproto.server.getSession")

    def resolve_handle(self, handle: str) -> str | None:
        try:
            return self._request("GET", "com.atproto.identity.resolveHandle", params={"handle": handle})[
                "did"
            ]
        except outbound.HttpError as error:
            if error.status == 400:
                return None
            raise

    def upload_blob(self, path: Path, mime: str) -> dict:
        data = path.read_bytes()
        return self.call("POST", "com.atproto.repo.uploadBlob", content=data, headers={"Content-Type": mime})[
            "blob"
        ]

    def create_record(self, collection: str, rkey: str, record: dict) -> dict:
        """Create the record at ``rkey`` (``applyWrites``); a record already there is an error."""
        answer = self.call(
            "POST",
            "com.atproto.repo.applyWrites",
            json={
                "repo": self.did,
                "writes": [
                    {
                        "$type": "com.atproto.repo.applyWrites#create",
                        "collection": collection,
                        "rkey": rkey,
                        "value": record,
                    }
                ],
            },
        )
        result = (answer.get("results") or [{}])[0]
        return {"uri": result.get("uri"), "cid": result.get("cid")}

    def get_record(self, collection: str, rkey: str, repo: str | None = None) -> dict | None:
        try:
            return self._request(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": repo or self.did, "collection": collection, "rkey": rkey},
            )
        except outbound.HttpError as error:
            if error.status in {400, 404} and "RecordNotFound" in error.detail or error.status == 404:
                return None
            raise

    def delete_record(self, collection: str, rkey: str) -> None:
        self.call(
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": self.did, "collection": collection, "rkey": rkey},
        )

    def notifications(self, cursor: str | None = None, limit: int = 50) -> dict:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self.call("GET", "app.bsky.notification.listNotifications", params=params)
