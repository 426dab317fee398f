"""Telegram: a bot that posts to one channel and talks with the people who write to it.

Connecting takes the bot's token (from @BotFather) and the channel; Pregonero checks the token
(``getMe``) and that the bot is an administrator of the channel allowed to post
(``getChatMember``). Posts are plain text up to 4,096 characters; with images, the text goes
as the caption when it fits in 1,024 characters, otherwise the images go first and the text
follows as its own message. Telegram has no threads (the composer asks to shorten instead) and
no image descriptions.

Exactly once: the Bot API has no idempotency key and no way to look a channel post up, so an
unclear call ends as Unknown for a person to check (``idempotent_publish`` is false and
``find_published`` cannot answer).

Inbound: citizens write to the bot in private chats. They are read with ``getUpdates`` and
an offset cursor, or pushed to ``/hooks/telegram/<id>/`` (:mod:`pregonero.inbound`) once a
webhook is set; Telegram refuses ``getUpdates`` while a webhook is set.
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
from pregonero.channels.connectors.telegram import parse
from pregonero.channels.connectors.telegram.client import MESSAGES, TelegramClient
from pregonero.channels.connectors.telegram.forms import ConnectForm
from pregonero.text.length import count

MAX_TEXT = 4096
MAX_CAPTION = 1024
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
NOT_A_CHANNEL = gettext_noop("This is not a channel: Pregonero publishes to Telegram channels.")


def post_url(chat: dict, message_id: int) -> str:
    """The public address of a channel message (``t.me/name/1``, or ``t.me/c/…`` if private)."""
    if chat.get("username"):
        return f"https://t.me/{chat['username']}/{message_id}"
    return f"https://t.me/c/{str(chat.get('id', '')).removeprefix('-100')}/{message_id}"


def _check_can_post(member: dict) -> None:
    if member.get("status") == "creator":
        return
    if member.get("status") != "administrator" or not member.get("can_post_messages"):
        raise ConnectorError(MESSAGES["not_admin"], permanent=True)


class TelegramConnector(Connector):
    key = "telegram"
    name = _("Telegram")
    capabilities = Capabilities(
        publish=True,
        media=True,
        reply=True,
        direct_messages=True,
        mentions=True,
        webhook=True,
        delete=True,
        # In the discussion group where the bot is an administrator (can_delete_messages,
        # can_restrict_members); a private chat with the bot has no one to ban.
        moderation=frozenset({"delete", "block"}),
    )
    # Telegram counts message length in UTF-16 code units (its entity offsets are in them).
    limits = Limits(
        max_length=MAX_TEXT,
        length_method="utf16",
        max_thread=1,
        max_media=10,
        max_image_bytes=10 * 1024 * 1024,
        image_types=IMAGE_TYPES,
    )
    connect_form = ConnectForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Connected:
        client = TelegramClient(data["bot_token"])
        try:
            bot = client.get_me()
        except outbound.HttpError as error:
            if error.status in {401, 404}:
                raise ConnectorError(MESSAGES["bad_token"], permanent=True) from error
            raise
        chat = client.get_chat(data["chat"])
        if chat.get("type") != "channel":
            raise ConnectorError(NOT_A_CHANNEL, permanent=True)
        _check_can_post(client.get_chat_member(chat["id"], bot["id"]))
        title = chat.get("title") or data["chat"]
        return Connected(
            config={
                "chat_id": chat["id"],
                "chat": f"@{chat['username']}" if chat.get("username") else data["chat"],
                "chat_title": title,
                "chat_username": chat.get("username") or "",
                "bot_id": str(bot["id"]),
                "bot_username": bot.get("username") or "",
            },
            secrets={"bot_token": data["bot_token"]},
            account=f"@{bot.get('username', '')} → {title}",
        )

    def _client(self) -> TelegramClient:
        return TelegramClient(self.channel.secret_values().get("bot_token", ""))

    def _chat(self) -> dict:
        config = self.channel.config
        return {"id": config["chat_id"], "username": config.get("chat_username", "")}

    def publish(self, part: OutgoingPart) -> PublishResult:
        client, chat_id = self._client(), self.channel.config["chat_id"]
        if not part.media:
            made = [client.send_message(chat_id, part.text)]
            carrier = made[0]
        elif count(part.text, "utf16") <= MAX_CAPTION:
            made = client.send_photos(chat_id, part.media, part.text)
            carrier = made[0]
        else:
            made = client.send_photos(chat_id, part.media, "")
            carrier = client.send_message(chat_id, part.text)
            made.append(carrier)
        # Every message made is kept so deleting removes them all; the text's is the address.
        ids = ",".join(str(message["message_id"]) for message in made)
        return PublishResult(remote_id=ids, url=post_url(self._chat(), carrier["message_id"]))

    def delete(self, remote_id: str) -> None:
        client, chat_id = self._client(), self.channel.config["chat_id"]
        for message_id in remote_id.split(","):
            try:
                client.delete_message(chat_id, int(message_id))
            except outbound.HttpError as error:
                # "message to delete not found": already gone is what deleting wanted.
                if error.status != 400:
                    raise

    def delete_message(self, target: ModerationTarget) -> ModerationResult:
        chat_id, message_id = target.remote_id.rsplit(":", 1)
        try:
            self._client().delete_message(chat_id, int(message_id))
        except outbound.HttpError as error:
            if error.status != 400:
                raise
        return ModerationResult()

    def block_account(self, target: ModerationTarget) -> ModerationResult:
        chat_id = target.conversation or target.remote_id.rsplit(":", 1)[0]
        self._client().ban_chat_member(chat_id, int(target.author_id))
        return ModerationResult()

    def unblock_account(self, target: ModerationTarget, reference: str = "") -> None:
        chat_id = target.conversation or target.remote_id.rsplit(":", 1)[0]
        self._client().unban_chat_member(chat_id, int(target.author_id))

    def reply(self, conversation: str, text: str, in_reply_to: str | None = None) -> str:
        """Answer a person in their chat (``conversation``); return the new message's id."""
        client = self._client()
        if in_reply_to:
            message = client.reply(conversation, text, int(in_reply_to.rsplit(":", 1)[1]))
        else:
            message = client.send_message(conversation, text)
        return parse.message_id(conversation, message["message_id"])

    def check_health(self) -> str:
        client = self._client()
        bot = client.get_me()
        _check_can_post(client.get_chat_member(self.channel.config["chat_id"], bot["id"]))
        return f"@{bot.get('username', '')} → {self.channel.config.get('chat_title', '')}"

    def set_webhook(self, url: str, secret_token: str) -> None:
        """Have Telegram push updates to ``url`` with ``secret_token`` in every call's
        ``X-Telegram-Bot-Api-Secret-Token`` header (:mod:`pregonero.inbound`)."""
        self._client().set_webhook(url, secret_token)

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        if self.channel.config.get("inbound") == "webhook":
            # Telegram pushes to the webhook receiver and refuses getUpdates meanwhile.
            return InboundBatch(messages=(), cursor=cursor)
        updates = self._client().get_updates(cursor)
        config = self.channel.config
        messages = parse.parse_updates(updates, config.get("bot_id", ""), config.get("bot_username", ""))
        return InboundBatch(messages=tuple(messages), cursor=parse.next_offset(updates, cursor))
