"""The Meta Graph API calls Pregonero makes for Facebook Pages and Instagram, each through
:mod:`pregonero.channels.outbound`.

Graph errors come as ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``.
Codes 4, 17, 32 and 613 are rate limits (often with HTTP 400 or 403 rather than 429), 190 an
expired or revoked token, 10 and 200–299 missing permissions, 9007 an Instagram container that
is not ready yet.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia

VERSION = "v23.0"
GRAPH = f"https://graph.facebook.com/{VERSION}"
DIALOG = f"https://www.facebook.com/{VERSION}/dialog/oauth"
SCOPES = ",".join(
    [
        "pages_show_list",
        "pages_read_engagement",
        "pages_manage_posts",
        "pages_manage_engagement",
        "pages_messaging",
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_comments",
        "instagram_manage_messages",
        "business_management",
    ]
)
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004}
# Meta asks callers to wait about an hour after an application or page rate limit.
RATE_LIMIT_WAIT = 3600.0
PERMISSION_CODES = {10, *range(200, 300)}

MESSAGES = {
    "slow_down": gettext_noop("Meta asked Pregonero to slow down; it will try again in about an hour."),
    "token": gettext_noop(
        "Meta no longer accepts this channel's access (password or roles changed); reconnect the channel."
    ),
    "permission": gettext_noop(
        "The Page no longer lets Pregonero do this: check the Page roles and reconnect the channel."
    ),
    "not_ready": gettext_noop("Instagram is still processing the image; Pregonero will try again."),
    "refused": gettext_noop("Meta refused the post: %(reason)s"),
}


def graph_error(error: outbound.HttpError) -> dict[str, Any]:
    text = error.detail.split(": ", 1)[1] if ": " in error.detail else ""
    try:
        answer = json.loads(text)
    except ValueError:
        return {}
    return answer.get("error") or {} if isinstance(answer, dict) else {}


def map_error(error: outbound.HttpError) -> ConnectorError:
    """Meta's reading of a failure, from its error code rather than the HTTP status alone."""
    details = graph_error(error)
    code = details.get("code")
    if code in RATE_LIMIT_CODES:
        return outbound.HttpError(
            MESSAGES["slow_down"],
            retry_after=error.retry_after or RATE_LIMIT_WAIT,
            status=error.status,
            detail=error.detail,
        )
    if code == 190:
        return outbound.HttpError(MESSAGES["token"], permanent=True, status=401, detail=error.detail)
    if code in PERMISSION_CODES:
        return outbound.HttpError(MESSAGES["permission"], permanent=True, status=403, detail=error.detail)
    if code == 9007:
        return outbound.HttpError(
            MESSAGES["not_ready"], retry_after=30, status=error.status, detail=error.detail
        )
    # A refusal with Meta's reason; "not found" stays an HttpError (deleting counts it as done).
    if error.permanent and error.status != 404 and details.get("message"):
        return ConnectorError(
            MESSAGES["refused"], permanent=True, params={"reason": str(details["message"])[:200]}
        )
    return error


class GraphClient:
    """``error_map`` reads a failed call; WhatsApp adds its own codes to Meta's."""

    def __init__(
        self,
        token: str = "",
        graph: str = GRAPH,
        error_map: Callable[[outbound.HttpError], ConnectorError] = map_error,
    ):
        self.token = token
        self.graph = graph.rstrip("/")
        self.error_map = error_map

    def call(self, method: str, path: str, **kwargs) -> Any:
        # The token goes in a header, not the query, so no address carries it (proxies log those).
        headers = {
            **kwargs.pop("headers", {}),
            **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
        }
        try:
            response = outbound.request(method, f"{self.graph}{path}", headers=headers, **kwargs)
        except outbound.HttpError as error:
            raise self.error_map(error) from error
        return response.json() if response.content else {}

    # Facebook Login.
    @staticmethod
    def authorize_url(app_id: str, redirect_uri: str, state: str) -> str:
        query = {
            "client_id": app_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": SCOPES,
            "response_type": "code",
        }
        return f"{DIALOG}?{urlencode(query)}"

    def exchange_code(self, *, app_id: str, app_secret: str, code: str, redirect_uri: str) -> str:
        answer = self.call(
            "GET",
            "/oauth/access_token",
            params={
                "client_id": app_id,
                "client_secret": app_secret,
                "code": code,
                "redirect_uri": redirect_uri,
            },
        )
        return answer["access_token"]

    def long_lived(self, *, app_id: str, app_secret: str, token: str) -> str:
        """A long-lived user token (60 days); Page tokens obtained with it do not expire."""
        answer = self.call(
            "GET",
            "/oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": app_id,
                "client_secret": app_secret,
                "fb_exchange_token": token,
            },
        )
        return answer["access_token"]

    def pages(self) -> list[dict[str, Any]]:
        fields = "id,name,access_token,instagram_business_account{id,username}"
        return self.call("GET", "/me/accounts", params={"fields": fields, "limit": 100}).get("data") or []

    def node(self, node_id: str, fields: str) -> dict[str, Any]:
        return self.call("GET", f"/{node_id}", params={"fields": fields})

    # Facebook Pages.
    def page_post(self, page_id: str, message: str, photo_ids: list[str] | None = None) -> str:
        data: dict[str, Any] = {"message": message}
        if photo_ids:
            data["attached_media"] = json.dumps([{"media_fbid": photo_id} for photo_id in photo_ids])
        return self.call("POST", f"/{page_id}/feed", data=data)["id"]

    def page_photo(
        self, page_id: str, media: OutgoingMedia, *, caption: str = "", published: bool
    ) -> dict[str, Any]:
        path = Path(media.path)
        mime = media.mime or mimetypes.guess_type(path.name)[0] or "image/jpeg"
        data = {"published": "true" if published else "false"}
        if caption:
            data["caption"] = caption
        if media.description:
            data["alt_text_custom"] = media.description
        with path.open("rb") as handle:
            return self.call(
                "POST", f"/{page_id}/photos", data=data, files={"source": (path.name, handle, mime)}
            )

    def delete(self, object_id: str) -> None:
        self.call("DELETE", f"/{object_id}")

    def set_comment_hidden(self, comment_id: str, hidden: bool, *, field: str = "is_hidden") -> None:
        """Hide a comment from everyone but its author and their friends (Facebook ``is_hidden``,
        Instagram ``hide``), or show it again."""
        self.call("POST", f"/{comment_id}", data={field: "true" if hidden else "false"})

    def comment(self, object_id: str, message: str) -> str:
        """Answer a Facebook post or comment in public."""
        return self.call("POST", f"/{object_id}/comments", data={"message": message})["id"]

    def private_reply(self, sender_id: str, comment_id: str, message: str) -> dict[str, Any]:
        """Answer a comment with a private message (Private Replies: once per comment, within
        7 days). ``sender_id`` is the Page id or the Instagram account id."""
        body = {"recipient": {"comment_id": comment_id}, "message": {"text": message}}
        return self.call("POST", f"/{sender_id}/messages", json=body)

    def message(self, sender_id: str, recipient_id: str, message: str) -> dict[str, Any]:
        """Answer a private conversation (Messenger, Instagram Direct) within its 24-hour window."""
        body = {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": {"text": message}}
        return self.call("POST", f"/{sender_id}/messages", json=body)

    # Instagram.
    def ig_container(self, ig_id: str, fields: dict[str, str]) -> str:
        return self.call("POST", f"/{ig_id}/media", data=fields)["id"]

    def ig_publish(self, ig_id: str, container_id: str) -> str:
        return self.call("POST", f"/{ig_id}/media_publish", data={"creation_id": container_id})["id"]

    def ig_reply(self, comment_id: str, message: str) -> str:
        return self.call("POST", f"/{comment_id}/replies", data={"message": message})["id"]
