"""Facebook Pages and Instagram professional accounts, through Meta's Graph API.

Both connect with Facebook Login through the organisation's own Meta app: the admin grants the
Page permissions, Pregonero exchanges the code for a long-lived user token and keeps the
chosen Page's token (which does not expire while the admin keeps the Page role and the
password). The app secret is kept too: it signs the webhook calls (``X-Hub-Signature-256``)
that bring comments and messages to ``/hooks/facebook/…`` and ``/hooks/instagram/…``.

Exactly once: the Graph API takes no idempotency key and has no lookup by one; an unclear call
ends as Unknown for a person to check.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import (
    Capabilities,
    Connected,
    Connector,
    ConnectorError,
    Limits,
    ModerationResult,
    ModerationTarget,
    OutgoingMedia,
    OutgoingPart,
    PublishResult,
    Redirect,
)
from pregonero.channels.connectors.mastodon.connector import DENIED, STALE
from pregonero.channels.connectors.meta.client import GraphClient
from pregonero.channels.connectors.meta.forms import ConnectForm

NO_PAGE = gettext_noop("The account that allowed access manages no Page with that id or name: %(pages)s")
NO_INSTAGRAM = gettext_noop(
    "The Page %(page)s has no Instagram professional account linked to it: link one in the Page's settings."
)
NEEDS_IMAGE = gettext_noop("Instagram posts need at least one image.")


def _choose_page(pages: list[dict], wanted: str) -> dict:
    wanted = wanted.strip()
    matches = [page for page in pages if not wanted or wanted in {str(page.get("id")), page.get("name")}]
    if len(matches) != 1:
        names = ", ".join(str(page.get("name")) for page in pages) or "—"
        raise ConnectorError(NO_PAGE, permanent=True, params={"pages": names})
    return matches[0]


class MetaConnector(Connector):
    """What Facebook and Instagram share: Facebook Login, the Page token, replies."""

    connect_form = ConnectForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Redirect:
        state = secrets.token_urlsafe(24)
        return Redirect(
            url=GraphClient.authorize_url(data["app_id"], return_url, state),
            state=state,
            pending={
                "app_id": data["app_id"],
                "app_secret": data["app_secret"],
                "page": data.get("page", ""),
            },
        )

    @classmethod
    def finish_connect(cls, pending: dict, answer: Mapping[str, str], *, return_url: str) -> Connected:
        code = answer.get("code")
        if not code:
            raise ConnectorError(DENIED, permanent=True)
        app_id, app_secret = pending["app_id"], pending["app_secret"]
        try:
            short = GraphClient().exchange_code(
                app_id=app_id, app_secret=app_secret, code=code, redirect_uri=return_url
            )
        except outbound.HttpError as error:
            if error.status in {400, 401}:
                raise ConnectorError(STALE, permanent=True) from error
            raise
        user_token = GraphClient().long_lived(app_id=app_id, app_secret=app_secret, token=short)
        page = _choose_page(GraphClient(user_token).pages(), pending.get("page", ""))
        return cls._connected(
            page, {"page_token": page["access_token"], "app_id": app_id, "app_secret": app_secret}
        )

    @classmethod
    def _connected(cls, page: dict, secret_values: dict) -> Connected:
        raise NotImplementedError

    def _client(self) -> GraphClient:
        return GraphClient(self.channel.secret_values().get("page_token", ""))

    def _own_id(self) -> str:
        raise NotImplementedError

    def delete(self, remote_id: str) -> None:
        try:
            self._client().delete(remote_id)
        except outbound.HttpError as error:
            if error.status != 404:
                raise

    # The Graph API field that hides a comment ("is_hidden" on Facebook, "hide" on Instagram).
    hide_field = "is_hidden"

    def hide_message(self, target: ModerationTarget) -> ModerationResult:
        self._client().set_comment_hidden(target.remote_id, True, field=self.hide_field)
        return ModerationResult()

    def unhide_message(self, target: ModerationTarget, reference: str = "") -> None:
        self._client().set_comment_hidden(target.remote_id, False, field=self.hide_field)

    def delete_message(self, target: ModerationTarget) -> ModerationResult:
        """Delete a comment under one of the account's posts (it may delete any of them; Instagram
        comments too, though not Instagram posts)."""
        MetaConnector.delete(self, target.remote_id)
        return ModerationResult()

    def private_reply(self, comment_id: str, text: str) -> dict:
        """Answer a comment privately (once per comment, within 7 days of it)."""
        return self._client().private_reply(self._own_id(), comment_id, text)

    def send_message(self, recipient_id: str, text: str) -> dict:
        """Answer a private conversation inside its 24-hour window."""
        return self._client().message(self._own_id(), recipient_id, text)


class FacebookConnector(MetaConnector):
    key = "facebook"
    name = _("Facebook Page")
    capabilities = Capabilities(
        publish=True,
        media=True,
        reply=True,
        direct_messages=True,
        mentions=True,
        webhook=True,
        delete=True,
        moderation=frozenset({"hide", "delete"}),
    )
    limits = Limits(
        max_length=63206,
        max_media=10,
        max_image_bytes=10 * 1024 * 1024,
        image_types=("image/jpeg", "image/png", "image/gif"),
    )

    @classmethod
    def _connected(cls, page: dict, secret_values: dict) -> Connected:
        return Connected(
            config={"page_id": str(page["id"]), "page_name": page.get("name", "")},
            secrets=secret_values,
            account=page.get("name", ""),
        )

    def _own_id(self) -> str:
        return self.channel.config["page_id"]

    def publish(self, part: OutgoingPart) -> PublishResult:
        client, page_id = self._client(), self._own_id()
        if len(part.media) == 1:
            answer = client.page_photo(page_id, part.media[0], caption=part.text, published=True)
            post_id = str(answer.get("post_id") or answer["id"])
        else:
            photos = [str(client.page_photo(page_id, item, published=False)["id"]) for item in part.media]
            post_id = str(client.page_post(page_id, part.text, photos))
        return PublishResult(remote_id=post_id, url=f"https://www.facebook.com/{post_id}")

    def reply(self, object_id: str, text: str) -> str:
        """Answer a post or comment in public; returns the new comment's id."""
        return self._client().comment(object_id, text)

    def check_health(self) -> str:
        return self._client().node(self._own_id(), "id,name").get("name", "")


class InstagramConnector(MetaConnector):
    key = "instagram"
    name = _("Instagram")
    capabilities = Capabilities(
        publish=True,
        media=True,
        reply=True,
        direct_messages=True,
        mentions=True,
        webhook=True,
        delete=False,
        moderation=frozenset({"hide", "delete"}),
    )
    # Instagram takes JPEG only from an address, up to 8 MB; captions up to 2,200 characters.
    limits = Limits(
        max_length=2200, max_media=10, max_image_bytes=8 * 1024 * 1024, image_types=("image/jpeg",)
    )

    @classmethod
    def _connected(cls, page: dict, secret_values: dict) -> Connected:
        account = page.get("instagram_business_account") or {}
        if not account.get("id"):
            raise ConnectorError(NO_INSTAGRAM, permanent=True, params={"page": page.get("name", "")})
        return Connected(
            config={
                "ig_id": str(account["id"]),
                "ig_username": account.get("username", ""),
                "page_id": str(page["id"]),
                "page_name": page.get("name", ""),
            },
            secrets=secret_values,
            account=f"@{account.get('username', '')}",
        )

    hide_field = "hide"

    def _own_id(self) -> str:
        return self.channel.config["ig_id"]

    @staticmethod
    def public_url(media: OutgoingMedia) -> str:
        """Instagram fetches images itself: the file's public address on this site."""
        url = default_storage.url(media.name)
        return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"

    def publish(self, part: OutgoingPart) -> PublishResult:
        if not part.media:
            raise ConnectorError(NEEDS_IMAGE, permanent=True)
        client, ig_id = self._client(), self._own_id()

        def image(item: OutgoingMedia, **extra: str) -> dict[str, str]:
            fields = {"image_url": self.public_url(item), **extra}
            if item.description:
                fields["alt_text"] = item.description
            return fields

        if len(part.media) == 1:
            container = client.ig_container(ig_id, image(part.media[0], caption=part.text))
        else:
            children = [
                client.ig_container(ig_id, image(item, is_carousel_item="true")) for item in part.media
            ]
            container = client.ig_container(
                ig_id, {"media_type": "CAROUSEL", "children": ",".join(children), "caption": part.text}
            )
        media_id = client.ig_publish(ig_id, container)
        permalink = client.node(media_id, "permalink").get("permalink", "")
        return PublishResult(remote_id=media_id, url=permalink)

    # The Graph API does not delete Instagram posts: the base class's refusal applies.
    delete = Connector.delete

    def reply(self, comment_id: str, text: str) -> str:
        return self._client().ig_reply(comment_id, text)

    def check_health(self) -> str:
        return f"@{self._client().node(self._own_id(), 'id,username').get('username', '')}"
