"""LinkedIn: posts on an organisation page, through the Community Management API.

Connecting is OAuth 2.0 (authorization code) through the organisation's own LinkedIn app; the
member must administer the page. Access tokens last 60 days; where LinkedIn grants refresh
tokens (approved apps) they are used, otherwise the channel asks to be reconnected when the
token has expired.

Exactly once: LinkedIn refuses the same commentary twice with 422 "Content is a duplicate of
urn:li:share:…", naming the post it already has; a repeated part returns that post, so
``idempotent_publish`` holds. The commentary is escaped as LinkedIn's "little text" requires,
so ``#``, ``@`` and brackets show as typed (hashtags are not links).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from urllib.parse import quote

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import (
    Capabilities,
    Connected,
    Connector,
    ConnectorError,
    Limits,
    OutgoingPart,
    PublishResult,
    Redirect,
)
from pregonero.channels.connectors.linkedin.client import LinkedInClient
from pregonero.channels.connectors.linkedin.forms import ConnectForm
from pregonero.channels.connectors.linkedin.text import escape_little_text
from pregonero.channels.connectors.mastodon.connector import DENIED, STALE
from pregonero.channels.models import Channel

NO_ORGANIZATION = gettext_noop(
    "The account that allowed access does not administer that organisation page (it administers: %(pages)s)."
)
EXPIRED = gettext_noop(
    "LinkedIn's access for this channel has expired (it lasts 60 days); reconnect the channel."
)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif")


def _tokens(answer: dict) -> dict:
    now = time.time()
    return {
        "access_token": answer["access_token"],
        "expires_at": now + float(answer.get("expires_in") or 5_184_000),
        "refresh_token": answer.get("refresh_token", ""),
    }


class LinkedInConnector(Connector):
    key = "linkedin"
    name = _("LinkedIn page")
    capabilities = Capabilities(publish=True, media=True, delete=True, idempotent_publish=True)
    limits = Limits(
        max_length=3000,
        max_media=9,
        max_image_bytes=8 * 1024 * 1024,
        image_types=IMAGE_TYPES,
        max_alt_text=4086,
    )
    connect_form = ConnectForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Redirect:
        state = secrets.token_urlsafe(24)
        return Redirect(
            url=LinkedInClient().authorize_url(data["client_id"], return_url, state),
            state=state,
            pending={k: data.get(k, "") for k in ("client_id", "client_secret", "organization")},
        )

    @classmethod
    def finish_connect(cls, pending: dict, answer: Mapping[str, str], *, return_url: str) -> Connected:
        code = answer.get("code")
        if not code:
            raise ConnectorError(DENIED, permanent=True)
        try:
            tokens = _tokens(
                LinkedInClient().token_request(
                    {
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": return_url,
                        "client_id": pending["client_id"],
                        "client_secret": pending["client_secret"],
                    }
                )
            )
        except outbound.HttpError as error:
            if error.status in {400, 401}:
                raise ConnectorError(STALE, permanent=True) from error
            raise
        client = LinkedInClient(tokens["access_token"])
        administered = client.administered()
        wanted = pending.get("organization") or (administered[0] if len(administered) == 1 else "")
        if wanted not in administered:
            raise ConnectorError(
                NO_ORGANIZATION, permanent=True, params={"pages": ", ".join(administered) or "—"}
            )
        name = client.organization(wanted).get("localizedName", wanted)
        return Connected(
            config={"organization_id": wanted, "organization_name": name},
            secrets={**tokens, "client_id": pending["client_id"], "client_secret": pending["client_secret"]},
            account=name,
        )

    # Tokens.
    def _token(self) -> str:
        stored = self.channel.secret_values()
        if stored.get("expires_at", 0) > time.time() + 60:
            return stored["access_token"]
        if not stored.get("refresh_token"):
            raise outbound.HttpError(EXPIRED, permanent=True, status=401)
        with transaction.atomic():
            row = Channel.objects.select_for_update().get(pk=self.channel.pk)
            stored = row.secret_values()
            if stored.get("expires_at", 0) > time.time() + 60:
                return stored["access_token"]
            try:
                answer = LinkedInClient().token_request(
                    {
                        "grant_type": "refresh_token",
                        "refresh_token": stored["refresh_token"],
                        "client_id": stored["client_id"],
                        "client_secret": stored["client_secret"],
                    }
                )
            except outbound.HttpError as error:
                if error.status in {400, 401}:
                    raise outbound.HttpError(
                        EXPIRED, permanent=True, status=401, detail=error.detail
                    ) from error
                raise
            fresh = {**stored, **_tokens(answer)}
            fresh["refresh_token"] = fresh["refresh_token"] or stored["refresh_token"]
            self.channel.set_secret_values(fresh)
            Channel.objects.filter(pk=self.channel.pk).update(secrets=self.channel.secrets)
            return fresh["access_token"]

    def _client(self) -> LinkedInClient:
        return LinkedInClient(self._token())

    def _author(self) -> str:
        return f"urn:li:organization:{self.channel.config['organization_id']}"

    def publish(self, part: OutgoingPart) -> PublishResult:
        client, author = self._client(), self._author()
        body: dict = {
            "author": author,
            "commentary": escape_little_text(part.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = [
            {"id": client.upload_image(author, item), "altText": item.description} for item in part.media
        ]
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        urn = client.create_post(body)
        return PublishResult(
            remote_id=urn, url=f"https://www.linkedin.com/feed/update/{quote(urn, safe=':')}/"
        )

    def delete(self, remote_id: str) -> None:
        try:
            self._client().delete_post(remote_id)
        except outbound.HttpError as error:
            if error.status != 404:
                raise

    def check_health(self) -> str:
        organization = self._client().organization(self.channel.config["organization_id"])
        return organization.get("localizedName", "")
