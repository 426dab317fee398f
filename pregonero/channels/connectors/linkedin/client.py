"""The LinkedIn API calls Pregonero makes, each through :mod:`pregonero.channels.outbound`.

The versioned REST API (``https://api.linkedin.com/rest/…``) needs a ``LinkedIn-Version:
YYYYMM`` header on every call and Rest.li protocol 2.0.0; OAuth lives on www.linkedin.com.
"""

from __future__ import annotations

import json
import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia

API = "https://api.linkedin.com/rest"
OAUTH = "https://www.linkedin.com/oauth/v2"
# LinkedIn supports each monthly version for about a year; move it forward when it sunsets.
VERSION = "202511"
SCOPES = "r_organization_admin w_organization_social r_organization_social"
DUPLICATE = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):\d+)")

MESSAGES = {
    "refused": gettext_noop("LinkedIn refused the post: %(reason)s"),
}


def problem(error: outbound.HttpError) -> str:
    text = error.detail.split(": ", 1)[1] if ": " in error.detail else ""
    try:
        answer = json.loads(text)
    except ValueError:
        return ""
    return str(answer.get("message") or "") if isinstance(answer, dict) else ""


def map_error(error: outbound.HttpError) -> ConnectorError:
    reason = problem(error)
    if error.permanent and error.status not in {401, 403, 404} and reason:
        return ConnectorError(MESSAGES["refused"], permanent=True, params={"reason": reason[:200]})
    return error


class LinkedInClient:
    def __init__(self, token: str = "", api: str = API, oauth: str = OAUTH):
        self.token = token
        self.api = api.rstrip("/")
        self.oauth = oauth.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "LinkedIn-Version": VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def request(self, method: str, path: str, **kwargs):
        headers = {**self._headers(), **kwargs.pop("headers", {})}
        return outbound.request(method, f"{self.api}{path}", headers=headers, **kwargs)

    def call(self, method: str, path: str, **kwargs) -> Any:
        response = self.request(method, path, **kwargs)
        return response.json() if response.content else {}

    # OAuth.
    def authorize_url(self, client_id: str, redirect_uri: str, state: str) -> str:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": SCOPES,
        }
        return f"{self.oauth}/authorization?{urlencode(query)}"

    def token_request(self, data: dict[str, str]) -> dict[str, Any]:
        return outbound.request("POST", f"{self.oauth}/accessToken", data=data).json()

    # Organisations.
    def administered(self) -> list[str]:
        """Ids of the organisations the member administers."""
        answer = self.call(
            "GET",
            "/organizationAcls",
            params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        )
        return [
            str(item["organization"]).rsplit(":", 1)[1]
            for item in answer.get("elements") or ()
            if item.get("organization")
        ]

    def organization(self, org_id: str) -> dict[str, Any]:
        return self.call("GET", f"/organizations/{org_id}")

    # Publishing.
    def upload_image(self, owner: str, media: OutgoingMedia) -> str:
        """Initialise an upload, PUT the bytes to the address given; return the image URN."""
        started = self.call(
            "POST",
            "/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": owner}},
        )
        value = started["value"]
        path = Path(media.path)
        mime = media.mime or mimetypes.guess_type(path.name)[0] or "image/jpeg"
        outbound.request(
            "PUT",
            value["uploadUrl"],
            content=path.read_bytes(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": mime},
        )
        return value["image"]

    def create_post(self, body: dict[str, Any]) -> str:
        """Create a post; return its URN (the ``x-restli-id`` header of the 201)."""
        try:
            response = self.request("POST", "/posts", json=body)
        except outbound.HttpError as error:
            found = DUPLICATE.search(problem(error))
            if error.status == 422 and found:
                # The same text was accepted before (an unclear earlier attempt): that post.
                return found.group(1)
            raise map_error(error) from error
        return response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id") or ""

    def delete_post(self, urn: str) -> None:
        self.request("DELETE", f"/posts/{quote(urn, safe='')}")
