"""Bluesky: one account on a PDS (bsky.social or its own), connected with an app password.

Exactly once: each part is created with a record key Pregonero chooses (a TID derived from the
part's idempotency key, :func:`records.record_key`) through ``com.atproto.repo.applyWrites``.
A retried call meets the record already at that key: it is read back and returned, never
written twice.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone
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
    OutgoingPart,
    PublishResult,
)
from pregonero.channels.connectors.bluesky import facets, parse, records
from pregonero.channels.connectors.bluesky.client import BlueskyClient
from pregonero.channels.connectors.bluesky.forms import ConnectForm
from pregonero.channels.connectors.inbound import InboundBatch
from pregonero.channels.models import Channel

BAD_LOGIN = gettext_noop("Bluesky did not accept this handle and app password.")
IMAGE_TOO_LARGE = gettext_noop("An image is larger than Bluesky accepts (1 MB).")
NOTIFICATION_PAGES = 5


class BlueskyConnector(Connector):
    key = "bluesky"
    name = _("Bluesky")
    capabilities = Capabilities(
        publish=True,
        thread=True,
        media=True,
        reply=True,
        mentions=True,
        delete=True,
        idempotent_publish=True,
        # Replies to our posts cannot be hidden or deleted by us (thread gates aside): only
        # their authors blocked, with an app.bsky.graph.block record in our repository.
        moderation=frozenset({"block"}),
    )
    # 300 graphemes per post (app.bsky.feed.post "text" maxGraphemes); links count as written.
    # Four images of up to 1,000,000 bytes each (app.bsky.embed.images); the app limits alt
    # text to 2000 characters.
    limits = Limits(
        max_length=300,
        length_method="graphemes",
        max_thread=25,
        max_media=4,
        max_image_bytes=1_000_000,
        image_types=("image/jpeg", "image/png", "image/webp", "image/gif"),
        max_alt_text=2000,
    )
    connect_form = ConnectForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Connected:
        client = BlueskyClient(data["service"], identifier=data["identifier"], password=data["app_password"])
        try:
            session = client.login()
        except outbound.HttpError as error:
            if error.status in {400, 401}:
                raise ConnectorError(BAD_LOGIN, permanent=True) from error
            raise
        return Connected(
            config={"service": data["service"], "did": session["did"], "handle": session["handle"]},
            secrets={
                "identifier": data["identifier"],
                "app_password": data["app_password"],
                "session": client.session,
            },
            account=f"@{session['handle']}",
        )

    def _client(self) -> BlueskyClient:
        stored = self.channel.secret_values()
        return BlueskyClient(
            self.channel.config["service"],
            identifier=stored.get("identifier", ""),
            password=stored.get("app_password", ""),
            session=stored.get("session"),
            on_session=self._keep_session,
        )

    def _keep_session(self, session: dict) -> None:
        stored = {**self.channel.secret_values(), "session": session}
        self.channel.set_secret_values(stored)
        # Several workers may renew at once; the last write wins, and every one is valid.
        Channel.objects.filter(pk=self.channel.pk).update(secrets=self.channel.secrets)

    def publish(self, part: OutgoingPart) -> PublishResult:
        client = self._client()
        created_at = self._created_at(part.idempotency_key)
        rkey = records.record_key(part.idempotency_key, created_at)
        existing = client.get_record(records.POST, rkey, repo=self.channel.config["did"])
        if existing is None:
            record = records.post_record(
                part.text,
                created_at=created_at or timezone.now(),
                language=part.language.split("-")[0],
                facets=self._facets(client, part.text),
                images=[self._upload(client, item) for item in part.media],
                reply=self._reply(client, part.reply_to),
            )
            try:
                client.create_record(records.POST, rkey, record)
            except outbound.HttpError as error:
                # Another attempt wrote this key meanwhile: that post is this part.
                if error.status != 400 or client.get_record(records.POST, rkey) is None:
                    raise
        uri = f"at://{self.channel.config['did']}/{records.POST}/{rkey}"
        return PublishResult(remote_id=uri, url=parse.web_url(self.channel.config.get("handle", ""), uri))

    def _created_at(self, key: str) -> datetime | None:
        """When the publication was made: the record key and ``createdAt`` come from it."""
        from pregonero.public.news import publication_for_key

        publication = publication_for_key(self.channel, key)
        return publication.created_at.astimezone(UTC) if publication is not None else None

    @staticmethod
    def _facets(client: BlueskyClient, text: str) -> list[dict]:
        spans = facets.find_spans(text)
        handles = {span.value for span in spans if span.kind == "mention"}
        dids = {handle: did for handle in handles if (did := client.resolve_handle(handle))}
        return facets.build_facets(spans, dids)

    @staticmethod
    def _upload(client: BlueskyClient, media) -> tuple[dict, str]:
        path = Path(media.path)
        if path.stat().st_size > BlueskyConnector.limits.max_image_bytes:
            raise ConnectorError(IMAGE_TOO_LARGE, permanent=True)
        return client.upload_blob(path, media.mime), media.description

    def _reply(self, client: BlueskyClient, reply_to: str | None) -> dict | None:
        if not reply_to:
            return None
        parent = client.get_record(records.POST, records.rkey_of(reply_to), repo=reply_to.split("/")[2])
        if parent is None:
            raise ConnectorError(
                gettext_noop("The previous post of the thread no longer exists."), permanent=True
            )
        return records.reply_refs(parent)

    def delete(self, remote_id: str) -> None:
        self._client().delete_record(records.POST, records.rkey_of(remote_id))

    def block_account(self, target: ModerationTarget) -> ModerationResult:
        """Write a block record; its key is what unblocking deletes."""
        now = timezone.now()
        rkey = records.tid(int(now.timestamp() * 1_000_000), secrets.randbelow(1024))
        self._client().create_record(records.BLOCK, rkey, records.block_record(target.author_id, now))
        return ModerationResult(reference=rkey)

    def unblock_account(self, target: ModerationTarget, reference: str = "") -> None:
        if reference:
            self._client().delete_record(records.BLOCK, reference)

    def check_health(self) -> str:
        client = self._client()
        try:
            session = client.get_session()
        except outbound.HttpError as error:
            if error.status in {400, 401}:
                # Neither the session nor the app password works: it was revoked.
                raise ConnectorError(outbound.MESSAGES["auth"], permanent=True) from error
            raise
        return f"@{session.get('handle', '')}"

    def disconnect(self) -> None:
        """End Pregonero's session. Bluesky lets only the account itself revoke the app
        password (Settings → App passwords); the page says so."""
        client = self._client()
        if client.session.get("refreshJwt"):
            with contextlib.suppress(ConnectorError):
                client.logout()

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        """Replies, mentions and quotes indexed after ``cursor`` (the newest ``indexedAt`` seen).

        The list runs newest first; pages are read until one reaches the cursor."""
        client = self._client()
        seen: list[dict] = []
        page_cursor = None
        for _page in range(NOTIFICATION_PAGES):
            answer = client.notifications(page_cursor)
            page = answer.get("notifications") or []
            seen.extend(page)
            page_cursor = answer.get("cursor")
            if not cursor or not page_cursor or any(n.get("indexedAt", "") <= cursor for n in page):
                break
        return InboundBatch(
            messages=tuple(parse.parse_notifications(seen, cursor)),
            cursor=parse.newest_indexed_at(seen, cursor),
        )
