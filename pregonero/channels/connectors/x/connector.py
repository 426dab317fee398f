"""X: one account, connected with OAuth 2.0 and PKCE through the organisation's own X app.

Posts are counted as X counts them (``length_method="weighted"``: most characters 1, CJK and
emoji 2, every link 23, 280 in all; see :mod:`pregonero.text.length`) and longer texts become
threads, each part a reply to the previous one. Images are uploaded with their alt text.

Access tokens last two hours. Before a call with an expired one, and once after a 401, the
refresh token is exchanged for a new pair; X invalidates the old refresh token, so the
exchange happens with the channel row locked and a worker that finds a newer pair stored
uses it instead of refreshing again.

Exactly once: X accepts no idempotency key and refuses the same text twice in a row ("duplicate
content"), so after an unclear call the publication becomes Unknown for a person to check.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pregonero.channels import outbound
from pregonero.channels.connectors.base import (
    Capabilities,
    Connected,
    Connector,
    ConnectorError,
    Limits,
    ModerationResult,
    ModerationTarget,
    OutgoingPart,
    PublishResult,
    Redirect,
)
from pregonero.channels.connectors.inbound import InboundBatch
from pregonero.channels.connectors.mastodon.client import pkce_pair
from pregonero.channels.connectors.mastodon.connector import DENIED
from pregonero.channels.connectors.x import parse
from pregonero.channels.connectors.x.client import MESSAGES, XClient
from pregonero.channels.connectors.x.forms import ConnectForm
from pregonero.channels.models import Channel

T = TypeVar("T")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# Refresh a little before the stated expiry, so a token does not lapse mid-call.
EXPIRY_MARGIN = 60


def _token_secrets(answer: dict, client_id: str, client_secret: str) -> dict:
    return {
        "access_token": answer["access_token"],
        "refresh_token": answer.get("refresh_token", ""),
        "expires_at": time.time() + float(answer.get("expires_in") or 7200),
        "client_id": client_id,
        "client_secret": client_secret,
    }


class XConnector(Connector):
    key = "x"
    name = _("X")
    capabilities = Capabilities(
        publish=True,
        thread=True,
        media=True,
        reply=True,
        mentions=True,
        delete=True,
        # Replies to our posts can be hidden; blocking is not offered by the API tiers we use.
        moderation=frozenset({"hide"}),
    )
    limits = Limits(
        max_length=280,
        length_method="weighted",
        url_length=23,
        max_thread=25,
        max_media=4,
        max_image_bytes=5 * 1024 * 1024,
        image_types=IMAGE_TYPES,
        max_alt_text=1000,
    )
    connect_form = ConnectForm

    # Connecting.
    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Redirect:
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(24)
        return Redirect(
            url=XClient.authorize_url(data["client_id"], return_url, state, challenge),
            state=state,
            pending={
                "client_id": data["client_id"],
                "client_secret": data["client_secret"],
                "verifier": verifier,
            },
        )

    @classmethod
    def finish_connect(cls, pending: dict, answer: Mapping[str, str], *, return_url: str) -> Connected:
        code = answer.get("code")
        if not code:
            raise ConnectorError(DENIED, permanent=True)
        client_id, client_secret = pending["client_id"], pending["client_secret"]
        try:
            tokens = XClient().exchange_code(
                client_id=client_id,
                client_secret=client_secret,
                code=code,
                redirect_uri=return_url,
                verifier=pending["verifier"],
            )
        except outbound.HttpError as error:
            if error.status in {400, 401}:
                raise ConnectorError(MESSAGES["stale"], permanent=True) from error
            raise
        user = XClient(tokens["access_token"]).me()
        handle = f"@{user['username']}"
        return Connected(
            config={"user_id": str(user["id"]), "username": user["username"], "account": handle},
            secrets=_token_secrets(tokens, client_id, client_secret),
            account=handle,
        )

    # Tokens.
    def _secrets(self) -> dict:
        return self.channel.secret_values()

    def _refresh(self, stale_token: str) -> str:
        """A fresh access token: one another worker stored meanwhile, or a new pair."""
        with transaction.atomic():
            row = Channel.objects.select_for_update().get(pk=self.channel.pk)
            stored = row.secret_values()
            if (
                stored.get("access_token") != stale_token
                and stored.get("expires_at", 0) > time.time() + EXPIRY_MARGIN
            ):
                self.channel.secrets = row.secrets
                return stored["access_token"]
            try:
                answer = XClient().refresh(
                    client_id=stored["client_id"],
                    client_secret=stored.get("client_secret", ""),
                    refresh_token=stored.get("refresh_token", ""),
                )
            except outbound.HttpError as error:
                if error.status not in {400, 401}:
                    raise
                # The refresh token was revoked or already used: only reconnecting helps.
                raise outbound.HttpError(
                    outbound.MESSAGES["auth"], permanent=True, status=401, detail=error.detail
                ) from error
            fresh = _token_secrets(answer, stored["client_id"], stored.get("client_secret", ""))
            if not fresh["refresh_token"]:
                fresh["refresh_token"] = stored.get("refresh_token", "")
            self.channel.set_secret_values(fresh)
            Channel.objects.filter(pk=self.channel.pk).update(secrets=self.channel.secrets)
            return fresh["access_token"]

    def _with_client(self, action: Callable[[XClient], T]) -> T:
        stored = self._secrets()
        token = stored.get("access_token", "")
        if stored.get("expires_at", 0) <= time.time() + EXPIRY_MARGIN:
            token = self._refresh(token)
        try:
            return action(XClient(token))
        except outbound.HttpError as error:
            if error.status != 401:
                raise
        # Revoked or expired early: one refresh, one more try; a second 401 is final.
        return action(XClient(self._refresh(token)))

    # Using the account.
    def publish(self, part: OutgoingPart) -> PublishResult:
        def send(client: XClient) -> dict:
            body: dict = {"text": part.text}
            if part.reply_to:
                body["reply"] = {"in_reply_to_tweet_id": part.reply_to}
            if part.media:
                body["media"] = {"media_ids": [client.upload(item) for item in part.media]}
            return client.post(body)

        tweet = self._with_client(send)
        username = self.channel.config.get("username") or "i"
        return PublishResult(remote_id=str(tweet["id"]), url=f"https://x.com/{username}/status/{tweet['id']}")

    def delete(self, remote_id: str) -> None:
        try:
            self._with_client(lambda client: client.delete(remote_id))
        except outbound.HttpError as error:
            if error.status != 404:
                raise

    def hide_message(self, target: ModerationTarget) -> ModerationResult:
        self._with_client(lambda client: client.set_reply_hidden(target.remote_id, True))
        return ModerationResult()

    def unhide_message(self, target: ModerationTarget, reference: str = "") -> None:
        self._with_client(lambda client: client.set_reply_hidden(target.remote_id, False))

    def check_health(self) -> str:
        user = self._with_client(lambda client: client.me())
        return f"@{user['username']}"

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        own_id = self.channel.config["user_id"]
        answer = self._with_client(lambda client: client.mentions(own_id, cursor))
        messages = parse.parse_mentions(answer, own_id)
        return InboundBatch(messages=tuple(messages), cursor=parse.newest_id(answer, cursor))

    def disconnect(self) -> None:
        stored = self._secrets()
        with contextlib.suppress(ConnectorError):
            XClient(stored.get("access_token", "")).revoke(
                client_id=stored.get("client_id", ""), client_secret=stored.get("client_secret", "")
            )
