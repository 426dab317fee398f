"""Matrix: one room, posted to by one account (a bot account of the organisation).

Connecting takes the account's access token and the room; Pregonero checks the token
(``whoami``) and joins the room (accepting the invitation). Messages are plain text with an
HTML-free body; images follow as ``m.image`` events whose body is the description.

Exactly once: every event is sent with ``PUT …/send/m.room.message/{txnId}``, the transaction
id being the part's key, and a homeserver answers a repeated transaction id from the same
access token with the first event. Synapse remembers transaction ids for about 30 minutes.
"""

from __future__ import annotations

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
from pregonero.channels.connectors.inbound import InboundBatch
from pregonero.channels.connectors.matrix import parse
from pregonero.channels.connectors.matrix.client import MatrixClient
from pregonero.channels.connectors.matrix.forms import ConnectForm

NO_POWER = gettext_noop(
    "The account's power level in the room does not allow this: a room administrator must raise it "
    "(moderator, 50)."
)
NOT_IN_ROOM = gettext_noop(
    "The account is no longer in the room: invite it to the room again, then reconnect the channel."
)
BAD_TOKEN = gettext_noop("The homeserver does not accept this access token.")
NO_ROOM = gettext_noop("The account could not join the room: invite it first, and check the room's address.")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


class MatrixConnector(Connector):
    key = "matrix"
    name = _("Matrix")
    capabilities = Capabilities(
        publish=True,
        media=True,
        reply=True,
        mentions=True,
        delete=True,
        idempotent_publish=True,
        # Redacting others' events and banning need the room's power levels (50 by default).
        moderation=frozenset({"delete", "block"}),
    )
    # An event may be up to 64 KiB: no practical length limit, so never a thread of parts.
    # Images: Synapse's default upload limit.
    limits = Limits(
        max_length=None, max_thread=1, max_media=10, max_image_bytes=50 * 1024 * 1024, image_types=IMAGE_TYPES
    )
    connect_form = ConnectForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Connected:
        client = MatrixClient(data["homeserver"], data["access_token"])
        try:
            user_id = client.whoami()["user_id"]
        except outbound.HttpError as error:
            if error.status in {401, 403}:
                raise ConnectorError(BAD_TOKEN, permanent=True) from error
            raise
        try:
            room_id = client.join(data["room"])
        except outbound.HttpError as error:
            if error.status in {403, 404}:
                raise ConnectorError(NO_ROOM, permanent=True) from error
            raise
        return Connected(
            config={
                "homeserver": data["homeserver"],
                "user_id": user_id,
                "room_id": room_id,
                "room": data["room"],
            },
            secrets={"access_token": data["access_token"]},
            account=f"{user_id} → {data['room']}",
        )

    def _client(self) -> MatrixClient:
        return MatrixClient(
            self.channel.config["homeserver"], self.channel.secret_values().get("access_token", "")
        )

    def publish(self, part: OutgoingPart) -> PublishResult:
        client, room_id = self._client(), self.channel.config["room_id"]
        content: dict = {"msgtype": "m.text", "body": part.text}
        if part.reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": part.reply_to}}
        event_id = client.send(room_id, content, txn_id=part.idempotency_key)
        for position, media in enumerate(part.media):
            uri, size = client.upload(media)
            image = {
                "msgtype": "m.image",
                "body": media.description,
                "url": uri,
                "info": {"mimetype": media.mime, "size": size},
            }
            client.send(room_id, image, txn_id=f"{part.idempotency_key}.media{position}")
        return PublishResult(remote_id=event_id, url=f"https://matrix.to/#/{room_id}/{event_id}")

    def delete(self, remote_id: str) -> None:
        self._client().redact(self.channel.config["room_id"], remote_id, txn_id=f"redact-{remote_id}")

    def _moderate(self, call, *args) -> None:
        try:
            call(self.channel.config["room_id"], *args)
        except outbound.HttpError as error:
            if error.status == 403:
                raise ConnectorError(NO_POWER, permanent=True) from error
            raise

    def delete_message(self, target: ModerationTarget) -> ModerationResult:
        """Redact the event: its content is removed for everyone (Pregonero keeps its copy)."""
        client = self._client()
        self._moderate(client.redact, target.remote_id, f"redact-{target.remote_id}")
        return ModerationResult()

    def block_account(self, target: ModerationTarget) -> ModerationResult:
        self._moderate(self._client().ban, target.author_id)
        return ModerationResult()

    def unblock_account(self, target: ModerationTarget, reference: str = "") -> None:
        self._moderate(self._client().unban, target.author_id)

    def check_health(self) -> str:
        client = self._client()
        user_id = client.whoami()["user_id"]
        if self.channel.config["room_id"] not in client.joined_rooms():
            raise ConnectorError(NOT_IN_ROOM, permanent=True)
        return f"{user_id} → {self.channel.config.get('room', '')}"

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        room_id = self.channel.config["room_id"]
        answer = self._client().messages(room_id, cursor)
        messages = parse.parse_messages(answer.get("chunk") or (), self.channel.config["user_id"], room_id)
        # Forwards, "end" is where to go on from (absent at the end of the timeline);
        # backwards from now, "start" is now.
        following = answer.get("end") if cursor else answer.get("start")
        return InboundBatch(messages=tuple(messages), cursor=following or cursor)
