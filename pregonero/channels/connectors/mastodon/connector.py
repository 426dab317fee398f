"""Mastodon: one account on one instance, connected with OAuth.

Connecting registers Pregonero as an application on the instance the admin names (each
instance is its own OAuth server), sends the admin there to allow it (authorization code with
PKCE), and exchanges the code for a token on the way back. The instance's own limits (length,
media, URL length) are read then and at every health check.

Exactly once: every status is posted with an ``Idempotency-Key`` header, the part's key
(``<publication key>-<index>``), so a repeated call returns the first status. Mastodon keeps
keys for one hour; the dispatcher's retries of an unclear call come well within it.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import (
    Capabilities,
    Connected,
    Connector,
    ConnectorError,
    ModerationResult,
    ModerationTarget,
    OutgoingPart,
    PublishResult,
    Redirect,
)
from pregonero.channels.connectors.inbound import InboundBatch
from pregonero.channels.connectors.mastodon import parse
from pregonero.channels.connectors.mastodon.client import MastodonClient, pkce_pair
from pregonero.channels.connectors.mastodon.forms import ConnectForm, SettingsForm
from pregonero.channels.models import Channel

NO_BLOCK_SCOPE = gettext_noop(
    "The instance does not let Pregonero block accounts with this connection: reconnect the channel "
    "to grant it, or block the account on the instance itself."
)
DENIED = gettext_noop(
    "The instance did not give access: it was refused or cancelled there. Try connecting again."
)
STALE = gettext_noop("This connection attempt is no longer valid. Start connecting again.")


class MastodonConnector(Connector):
    key = "mastodon"
    name = _("Mastodon")
    capabilities = Capabilities(
        publish=True,
        thread=True,
        media=True,
        video=True,
        reply=True,
        direct_messages=True,
        mentions=True,
        delete=True,
        link_preview=True,
        idempotent_publish=True,
        # Others' replies cannot be hidden or deleted by the account they answer: only blocked.
        moderation=frozenset({"block"}),
    )
    limits = parse.DEFAULT_LIMITS
    connect_form = ConnectForm
    settings_form = SettingsForm

    def __init__(self, channel: Channel):
        super().__init__(channel)
        # Each instance sets its own limits; they were read when it was connected.
        self.limits = parse.limits_from_config(channel.config.get("limits"))

    # Connecting.
    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Redirect:
        instance = data["instance"]
        app = MastodonClient(instance).register_app(return_url)
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(24)
        url = MastodonClient(instance).authorize_url(app["client_id"], return_url, state, challenge)
        return Redirect(
            url=url,
            state=state,
            pending={
                "instance": instance,
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "verifier": verifier,
            },
        )

    @classmethod
    def finish_connect(cls, pending: dict, answer: Mapping[str, str], *, return_url: str) -> Connected:
        code = answer.get("code")
        if not code:
            raise ConnectorError(DENIED, permanent=True)
        instance = pending["instance"]
        try:
            token = MastodonClient(instance).exchange_code(
                client_id=pending["client_id"],
                client_secret=pending["client_secret"],
                code=code,
                redirect_uri=return_url,
                verifier=pending["verifier"],
            )
        except outbound.HttpError as error:
            if error.status in {400, 401}:
                raise ConnectorError(STALE, permanent=True) from error
            raise
        client = MastodonClient(instance, token)
        account = client.verify_credentials()
        limits = parse.limits_from_instance(client.instance_info())
        host = urlsplit(instance).netloc
        return Connected(
            config={
                "instance": instance,
                "account_id": str(account["id"]),
                "account": parse.account_handle(account, host),
                "account_url": account.get("url", ""),
                "limits": parse.limits_to_config(limits),
            },
            secrets={
                "access_token": token,
                "client_id": pending["client_id"],
                "client_secret": pending["client_secret"],
            },
            account=parse.account_handle(account, host),
        )

    # Using the account.
    def _client(self) -> MastodonClient:
        return MastodonClient(
            self.channel.config["instance"], self.channel.secret_values().get("access_token")
        )

    def publish(self, part: OutgoingPart) -> PublishResult:
        client = self._client()
        body: dict = {
            "status": part.text,
            "visibility": self.channel.config.get("visibility", "public"),
            "language": part.language.split("-")[0],
        }
        if part.reply_to:
            body["in_reply_to_id"] = part.reply_to
        if part.media:
            body["media_ids"] = [client.upload(item) for item in part.media]
        status = client.post_status(body, idempotency_key=part.idempotency_key)
        return PublishResult(remote_id=str(status["id"]), url=status.get("url") or status.get("uri") or "")

    def delete(self, remote_id: str) -> None:
        try:
            self._client().delete_status(remote_id)
        except outbound.HttpError as error:
            # Already gone is what deleting wanted.
            if error.status != 404:
                raise

    def _moderate(self, call, account_id: str) -> None:
        try:
            call(account_id)
        except outbound.HttpError as error:
            if error.status == 403:
                raise ConnectorError(NO_BLOCK_SCOPE, permanent=True) from error
            raise

    def block_account(self, target: ModerationTarget) -> ModerationResult:
        self._moderate(self._client().block, target.author_id)
        return ModerationResult()

    def unblock_account(self, target: ModerationTarget, reference: str = "") -> None:
        self._moderate(self._client().unblock, target.author_id)

    def check_health(self) -> str:
        """Verify the token, and refresh the instance's limits, which admins may change."""
        client = self._client()
        account = client.verify_credentials()
        limits = parse.limits_to_config(parse.limits_from_instance(client.instance_info()))
        if limits != self.channel.config.get("limits"):
            self.channel.config = {**self.channel.config, "limits": limits}
            Channel.objects.filter(pk=self.channel.pk).update(config=self.channel.config)
        return parse.account_handle(account, urlsplit(self.channel.config["instance"]).netloc)

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        notifications = self._client().notifications_since(cursor)
        config = self.channel.config
        messages = parse.parse_notifications(
            notifications, config.get("account_id", ""), urlsplit(config["instance"]).netloc
        )
        return InboundBatch(messages=tuple(messages), cursor=parse.newest_id(notifications, cursor))

    def disconnect(self) -> None:
        stored = self.channel.secret_values()
        if not stored.get("access_token"):
            return
        # The secrets are forgotten whatever the instance answers.
        with contextlib.suppress(ConnectorError):
            self._client().revoke(
                client_id=stored.get("client_id", ""), client_secret=stored.get("client_secret", "")
            )
