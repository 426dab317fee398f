"""The Telegram Bot API calls Pregonero makes, each through :mod:`pregonero.channels.outbound`.

Every method is ``https://api.telegram.org/bot<token>/<method>``; every answer is
``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …, "description": …,
"parameters": {"retry_after": …}}``. The token is part of the address, so no address is ever
put in an error or a log line here.
"""

from __future__ import annotations

import json
import mimetypes
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia

API = "https://api.telegram.org"
UPDATES_LIMIT = 100
# What Pregonero listens to; reactions, polls and member changes are not messages.
ALLOWED_UPDATES = ["message", "edited_message"]

MESSAGES = {
    "bad_token": gettext_noop(
        "Telegram does not accept this bot token: create a new one with @BotFather and reconnect."
    ),
    "not_admin": gettext_noop(
        "The bot may not post in this channel: make it an administrator with the right to post messages."
    ),
    "no_chat": gettext_noop(
        "Telegram does not know this channel: check its @name, and add the bot to it first."
    ),
    "refused": gettext_noop("Telegram refused the message."),
    "webhook_set": gettext_noop(
        "Telegram sends this bot's messages to a webhook, so they cannot also be fetched; "
        "Pregonero reads them from the webhook."
    ),
}


def map_error(error: outbound.HttpError) -> ConnectorError:
    """Telegram's own reading of a failure: its ``retry_after`` and its description."""
    try:
        answer = json.loads(error.detail.split(": ", 1)[1])
    except (IndexError, ValueError):
        return error
    if not isinstance(answer, dict):
        return error
    description = str(answer.get("description") or "")
    retry_after = (answer.get("parameters") or {}).get("retry_after")
    if error.status == 429 and isinstance(retry_after, int | float):
        error.retry_after = float(retry_after)
        return error
    if error.status == 401:
        return _with_status(ConnectorError(MESSAGES["bad_token"], permanent=True), error)
    if error.status == 403 or "not enough rights" in description or "CHAT_ADMIN_REQUIRED" in description:
        return _with_status(ConnectorError(MESSAGES["not_admin"], permanent=True), error, status=403)
    if "chat not found" in description:
        return _with_status(ConnectorError(MESSAGES["no_chat"], permanent=True), error)
    if error.status == 409:
        return _with_status(ConnectorError(MESSAGES["webhook_set"], permanent=True), error)
    return error


def _with_status(
    mapped: ConnectorError, error: outbound.HttpError, status: int | None = None
) -> ConnectorError:
    # The dispatcher and health read ``status`` (401/403: the channel needs attention).
    return outbound.HttpError(
        mapped.message, permanent=mapped.permanent, status=status or error.status, detail=error.detail
    )


class TelegramClient:
    def __init__(self, token: str, api: str = API):
        self.token = token
        self.api = api.rstrip("/")

    def call(self, method: str, *, files: dict | None = None, **fields: Any) -> Any:
        url = f"{self.api}/bot{self.token}/{method}"
        try:
            if files:
                data = {
                    key: json.dumps(value) if isinstance(value, list | dict) else str(value)
                    for key, value in fields.items()
                }
                response = outbound.request("POST", url, data=data, files=files)
            else:
                response = outbound.request("POST", url, json=fields)
        except outbound.HttpError as error:
            raise map_error(error) from error
        answer = response.json()
        if not answer.get("ok"):
            raise ConnectorError(MESSAGES["refused"], permanent=True)
        return answer["result"]

    def get_me(self) -> dict[str, Any]:
        return self.call("getMe")

    def get_chat(self, chat: str) -> dict[str, Any]:
        return self.call("getChat", chat_id=chat)

    def get_chat_member(self, chat_id: int | str, user_id: int) -> dict[str, Any]:
        return self.call("getChatMember", chat_id=chat_id, user_id=user_id)

    def send_message(self, chat_id: int | str, text: str) -> dict[str, Any]:
        return self.call("sendMessage", chat_id=chat_id, text=text)

    def reply(self, chat_id: int | str, text: str, reply_to: int) -> dict[str, Any]:
        return self.call(
            "sendMessage",
            chat_id=chat_id,
            text=text,
            reply_parameters={"message_id": reply_to, "allow_sending_without_reply": True},
        )

    def send_photos(
        self, chat_id: int | str, media: tuple[OutgoingMedia, ...], caption: str
    ) -> list[dict[str, Any]]:
        """One photo with ``sendPhoto``, several as an album with ``sendMediaGroup`` (the
        caption on the first). Returns the messages made."""
        with ExitStack() as stack:
            files = {}
            for position, item in enumerate(media):
                path = Path(item.path)
                mime = item.mime or mimetypes.guess_type(path.name)[0] or "image/jpeg"
                files[f"photo{position}"] = (path.name, stack.enter_context(path.open("rb")), mime)
            if len(media) == 1:
                fields = {"chat_id": chat_id, "photo": "attach://photo0"}
                if caption:
                    fields["caption"] = caption
                return [self.call("sendPhoto", files=files, **fields)]
            album = [
                {"type": "photo", "media": f"attach://photo{position}"} for position in range(len(media))
            ]
            if caption:
                album[0]["caption"] = caption
            return self.call("sendMediaGroup", files=files, chat_id=chat_id, media=album)

    def delete_message(self, chat_id: int | str, message_id: int) -> None:
        self.call("deleteMessage", chat_id=chat_id, message_id=message_id)

    def ban_chat_member(self, chat_id: int | str, user_id: int, until_date: int = 0) -> None:
        """Remove a person from a group and keep them out (until ``until_date``, 0: for ever)."""
        self.call("banChatMember", chat_id=chat_id, user_id=user_id, until_date=until_date)

    def unban_chat_member(self, chat_id: int | str, user_id: int) -> None:
        # only_if_banned: without it, unbanning someone still in the group removes them.
        self.call("unbanChatMember", chat_id=chat_id, user_id=user_id, only_if_banned=True)

    def get_updates(self, offset: str | None) -> list[dict[str, Any]]:
        fields: dict[str, Any] = {"timeout": 0, "limit": UPDATES_LIMIT, "allowed_updates": ALLOWED_UPDATES}
        if offset:
            fields["offset"] = int(offset)
        return self.call("getUpdates", **fields)

    def set_webhook(self, url: str, secret_token: str) -> None:
        self.call(
            "setWebhook",
            url=url,
            secret_token=secret_token,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )

    def delete_webhook(self) -> None:
        self.call("deleteWebhook")
