"""The Mastodon API calls Pregonero makes, each one through :mod:`pregonero.channels.outbound`.

Plain HTTP rather than Mastodon.py: the instance address is typed by a person, and only the
outbound wrapper refuses private addresses, maps statuses to permanent or temporary errors and
reads Mastodon's ``X-RateLimit-Reset``; Mastodon.py would bring its own ``requests`` session
around all of that. The handful of endpoints below is all a connector needs.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia

# write:blocks: blocking an account for breaking the participation rules (MOD-1). Accounts
# connected before it was asked for must be reconnected to block from Pregonero.
SCOPES = "read:accounts read:notifications read:statuses write:statuses write:media write:blocks"
APP_NAME = "Pregonero"
# A video can take a while to be processed before a status may carry it.
MEDIA_WAIT_SECONDS = 60.0
MEDIA_POLL_SECONDS = 1.0
NOTIFICATION_PAGE = 40
NOTIFICATION_PAGES = 5

MEDIA_NOT_READY = gettext_noop(
    "The instance is still processing an image or video; Pregonero will try again."
)


class MastodonClient:
    """Calls on one instance, with one account's token (None before the account is connected)."""

    def __init__(self, instance: str, token: str | None = None):
        self.instance = instance.rstrip("/")
        self.token = token

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return {**headers, **(extra or {})}

    def call(self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs) -> Any:
        response = outbound.request(
            method, f"{self.instance}{path}", headers=self._headers(headers), **kwargs
        )
        return response.json() if response.content else None

    # Connecting.
    def instance_info(self) -> dict[str, Any]:
        """``/api/v2/instance``, or v1 on instances older than 4.0."""
        try:
            return self.call("GET", "/api/v2/instance")
        except outbound.HttpError as error:
            if error.status != 404:
                raise
            return self.call("GET", "/api/v1/instance")

    def register_app(self, redirect_uri: str, website: str = "") -> dict[str, Any]:
        data = {"client_name": APP_NAME, "redirect_uris": redirect_uri, "scopes": SCOPES}
        if website:
            data["website"] = website
        return self.call("POST", "/api/v1/apps", data=data)

    def authorize_url(self, client_id: str, redirect_uri: str, state: str, challenge: str) -> str:
        query = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": SCOPES,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.instance}/oauth/authorize?{urlencode(query)}"

    def exchange_code(
        self, *, client_id: str, client_secret: str, code: str, redirect_uri: str, verifier: str
    ) -> str:
        answer = self.call(
            "POST",
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "client_id": client_id,
                "client_secret": client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
                "scope": SCOPES,
                "code_verifier": verifier,
            },
        )
        return answer["access_token"]

    def revoke(self, *, client_id: str, client_secret: str) -> None:
        self.call(
            "POST",
            "/oauth/revoke",
            data={"client_id": client_id, "client_secret": client_secret, "token": self.token or ""},
        )

    # The account.
    def verify_credentials(self) -> dict[str, Any]:
        return self.call("GET", "/api/v1/accounts/verify_credentials")

    # Publishing.
    def upload(self, media: OutgoingMedia) -> str:
        """Upload one file with its description; return its id once the instance can use it."""
        path = Path(media.path)
        mime = media.mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with path.open("rb") as handle:
            answer = self.call(
                "POST",
                "/api/v2/media",
                files={"file": (path.name, handle, mime)},
                data={"description": media.description},
            )
        media_id = str(answer["id"])
        # 202: accepted, still processing (url is null) — wait until it is ready.
        deadline = time.monotonic() + MEDIA_WAIT_SECONDS
        while answer.get("url") is None and answer.get("type") != "unknown":
            if time.monotonic() > deadline:
                raise ConnectorError(MEDIA_NOT_READY, retry_after=MEDIA_WAIT_SECONDS)
            time.sleep(MEDIA_POLL_SECONDS)
            answer = self.call("GET", f"/api/v1/media/{media_id}")
        return media_id

    def post_status(self, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        return self.call("POST", "/api/v1/statuses", json=body, headers={"Idempotency-Key": idempotency_key})

    def delete_status(self, status_id: str) -> None:
        self.call("DELETE", f"/api/v1/statuses/{status_id}")

    # Moderating.
    def block(self, account_id: str) -> dict[str, Any]:
        return self.call("POST", f"/api/v1/accounts/{account_id}/block")

    def unblock(self, account_id: str) -> dict[str, Any]:
        return self.call("POST", f"/api/v1/accounts/{account_id}/unblock")

    # Listening.
    def notifications_since(self, cursor: str | None) -> list[dict[str, Any]]:
        """Message notifications after ``cursor``, oldest pages first (``min_id`` walks
        forward), at most a few pages per call so one busy day cannot stall a worker."""
        found: list[dict[str, Any]] = []
        params: list[tuple[str, str | int]] = [("types[]", kind) for kind in ("mention", "quote", "update")]
        params.append(("limit", NOTIFICATION_PAGE))
        min_id = cursor
        for _ in range(NOTIFICATION_PAGES):
            page = self.call(
                "GET", "/api/v1/notifications", params=[*params, *([("min_id", min_id)] if min_id else [])]
            )
            if not page:
                break
            found.extend(page)
            if cursor is None:
                # Connected just now: start from the newest, not from the account's whole history.
                break
            min_id = max((str(item["id"]) for item in page), key=lambda value: (len(value), value))
            if len(page) < NOTIFICATION_PAGE:
                break
        return found


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
