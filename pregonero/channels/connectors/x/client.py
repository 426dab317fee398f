"""The X API v2 calls Pregonero makes, each through :mod:`pregonero.channels.outbound`.

OAuth 2.0 authorization code with PKCE (user context): the organisation's own X app (client id,
and client secret for a confidential client) is typed by the admin. Access tokens last two
hours; the refresh token (scope ``offline.access``) is exchanged for a new pair, and X
invalidates the old refresh token when it does.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia

API = "https://api.x.com"
AUTHORIZE = "https://x.com/i/oauth2/authorize"
# tweet.moderate.write: hiding replies to our posts (MOD-1).
SCOPES = "tweet.read tweet.write tweet.moderate.write users.read media.write offline.access"
MENTIONS_PAGE = 100
TWEET_FIELDS = (
    "created_at,lang,conversation_id,in_reply_to_user_id,referenced_tweets,edit_history_tweet_ids,"
    "entities,attachments"
)

MESSAGES = {
    "duplicate": gettext_noop("X refused the post because the account published the same text recently."),
    "refused": gettext_noop("X refused the post: %(reason)s"),
    "stale": gettext_noop("This connection attempt is no longer valid. Start connecting again."),
}


def _problem(error: outbound.HttpError) -> str:
    """X's explanation of a refusal (``detail`` of its problem document), or ""."""
    text = error.detail.split(": ", 1)[1] if ": " in error.detail else ""
    try:
        answer = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(answer, dict):
        return ""
    errors = answer.get("errors") or [{}]
    return str(answer.get("detail") or errors[0].get("message") or errors[0].get("detail") or "")


def map_error(error: outbound.HttpError) -> ConnectorError:
    """X answers 403 both for a revoked app and for refused content; only the first needs a
    reconnection."""
    reason = _problem(error)
    if "duplicate" in reason.lower():
        return ConnectorError(MESSAGES["duplicate"], permanent=True)
    if error.status in {400, 403} and reason and "not permitted" not in reason.lower():
        return ConnectorError(MESSAGES["refused"], permanent=True, params={"reason": reason[:200]})
    return error


class XClient:
    def __init__(self, token: str = "", api: str = API):
        self.token = token
        self.api = api.rstrip("/")

    def call(self, method: str, path: str, **kwargs) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        try:
            response = outbound.request(method, f"{self.api}{path}", headers=headers, **kwargs)
        except outbound.HttpError as error:
            raise map_error(error) from error
        return response.json() if response.content else {}

    # OAuth 2.0 with PKCE.
    @staticmethod
    def authorize_url(client_id: str, redirect_uri: str, state: str, challenge: str) -> str:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{AUTHORIZE}?{urlencode(query)}"

    def _token(self, client_id: str, client_secret: str, data: dict[str, str]) -> dict[str, Any]:
        # A confidential client authenticates with HTTP Basic; a public one sends its id only.
        auth = (client_id, client_secret) if client_secret else None
        response = outbound.request(
            "POST", f"{self.api}/2/oauth2/token", data={**data, "client_id": client_id}, auth=auth
        )
        return response.json()

    def exchange_code(
        self, *, client_id: str, client_secret: str, code: str, redirect_uri: str, verifier: str
    ) -> dict[str, Any]:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        return self._token(client_id, client_secret, data)

    def refresh(self, *, client_id: str, client_secret: str, refresh_token: str) -> dict[str, Any]:
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self._token(client_id, client_secret, data)

    def revoke(self, *, client_id: str, client_secret: str) -> None:
        auth = (client_id, client_secret) if client_secret else None
        outbound.request(
            "POST",
            f"{self.api}/2/oauth2/revoke",
            data={"token": self.token, "token_type_hint": "access_token", "client_id": client_id},
            auth=auth,
        )

    # The account.
    def me(self) -> dict[str, Any]:
        return self.call("GET", "/2/users/me")["data"]

    # Publishing.
    def upload(self, media: OutgoingMedia) -> str:
        """Upload one image (``POST /2/media/upload``), then its alt text; return the media id."""
        path = Path(media.path)
        mime = media.mime or mimetypes.guess_type(path.name)[0] or "image/jpeg"
        category = "tweet_gif" if mime == "image/gif" else "tweet_image"
        with path.open("rb") as handle:
            answer = self.call(
                "POST",
                "/2/media/upload",
                files={"media": (path.name, handle, mime)},
                data={"media_category": category, "media_type": mime},
            )
        media_id = str(answer["data"]["id"])
        if media.description:
            self.call(
                "POST",
                "/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": media.description}}},
            )
        return media_id

    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.call("POST", "/2/tweets", json=body)["data"]

    def delete(self, tweet_id: str) -> None:
        self.call("DELETE", f"/2/tweets/{tweet_id}")

    def set_reply_hidden(self, tweet_id: str, hidden: bool) -> None:
        """Hide a reply to one of our posts behind "hidden replies", or show it again."""
        self.call("PUT", f"/2/tweets/{tweet_id}/hidden", json={"hidden": hidden})

    # Listening.
    def mentions(self, user_id: str, since_id: str | None) -> dict[str, Any]:
        params = {
            "max_results": MENTIONS_PAGE,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id,referenced_tweets.id,attachments.media_keys",
            "user.fields": "username,name",
            "media.fields": "type,url,preview_image_url,alt_text",
        }
        if since_id:
            params["since_id"] = since_id
        return self.call("GET", f"/2/users/{user_id}/mentions", params=params)
