"""WhatsApp Business Cloud API: citizens write to the organisation's number; staff answer.

It is a conversation channel, not a publishing one: nothing is published to it (``publish``
is refused). Messages arrive by webhook (``/hooks/whatsapp/<id>/``, signed like every Meta
webhook). Answers follow WhatsApp's rule: free text within 24 hours of the person's last
message (:func:`parse.window_open`), an approved template after that; anything else is refused
with a message that says so, before calling WhatsApp.

Connecting takes a pasted system-user token (no OAuth): Pregonero checks it by reading the
number (``GET /{phone number id}``).
"""

from __future__ import annotations

from datetime import datetime

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
    OutgoingPart,
    PublishResult,
)
from pregonero.channels.connectors.meta.client import GraphClient, graph_error, map_error
from pregonero.channels.connectors.whatsapp import parse
from pregonero.channels.connectors.whatsapp.forms import ConnectForm

MAX_TEXT = 4096
# WhatsApp codes that need their own words (the rest are Meta's, see meta.client).
WINDOW_CLOSED_CODE = 131047
RATE_CODES = {130429, 131056, 131048}
MESSAGES = {
    "no_publish": gettext_noop(
        "WhatsApp is for answering people who write to the organisation; posts are not published there."
    ),
    "window": gettext_noop(
        "More than 24 hours have passed since this person last wrote: WhatsApp only allows an "
        "approved message template now. Choose a template to answer."
    ),
    "no_template": gettext_noop(
        "The template %(template)s (%(language)s) is not approved for this WhatsApp number."
    ),
    "bad_token": gettext_noop("Meta does not accept this token or phone number ID."),
    "slow_down": gettext_noop("WhatsApp asked Pregonero to slow down; it will try again later."),
}


class WhatsAppConnector(Connector):
    key = "whatsapp"
    name = _("WhatsApp Business")
    capabilities = Capabilities(publish=False, reply=True, direct_messages=True, webhook=True)
    limits = Limits(max_length=MAX_TEXT)
    connect_form = ConnectForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Connected:
        client = GraphClient(data["access_token"], error_map=whatsapp_error)
        try:
            number = client.node(data["phone_number_id"], "display_phone_number,verified_name,quality_rating")
        except outbound.HttpError as error:
            if error.status in {400, 401, 403, 404}:
                raise ConnectorError(MESSAGES["bad_token"], permanent=True) from error
            raise
        shown = f"{number.get('verified_name', '')} ({number.get('display_phone_number', '')})"
        return Connected(
            config={
                "phone_number_id": data["phone_number_id"],
                "business_account_id": data["business_account_id"],
                "display_phone_number": number.get("display_phone_number", ""),
                "verified_name": number.get("verified_name", ""),
            },
            secrets={"access_token": data["access_token"], "app_secret": data["app_secret"]},
            account=shown,
        )

    def _client(self) -> GraphClient:
        return GraphClient(self.channel.secret_values().get("access_token", ""), error_map=whatsapp_error)

    def _send(self, body: dict) -> str:
        answer = self._client().call(
            "POST",
            f"/{self.channel.config['phone_number_id']}/messages",
            json={"messaging_product": "whatsapp", "recipient_type": "individual", **body},
        )
        return str(answer["messages"][0]["id"])

    def publish(self, part: OutgoingPart) -> PublishResult:
        raise ConnectorError(MESSAGES["no_publish"], permanent=True)

    def reply(
        self,
        to: str,
        text: str,
        *,
        in_reply_to: str | None = None,
        last_inbound_at: datetime | None = None,
        now: datetime | None = None,
    ) -> str:
        """Answer ``to`` (their WhatsApp id) with free text.

        With ``last_inbound_at`` (when the person last wrote) an answer outside the 24-hour
        window is refused before calling; without it WhatsApp decides and its refusal (131047)
        gives the same message.
        """
        if last_inbound_at is not None and not parse.window_open(last_inbound_at, now or timezone.now()):
            raise ConnectorError(MESSAGES["window"], permanent=True)
        body: dict = {"to": to, "type": "text", "text": {"body": text, "preview_url": False}}
        if in_reply_to:
            body["context"] = {"message_id": in_reply_to}
        return self._send(body)

    def approved_templates(self) -> list[dict]:
        """The number's approved templates: name, language, category."""
        answer = self._client().call(
            "GET",
            f"/{self.channel.config['business_account_id']}/message_templates",
            params={"status": "APPROVED", "fields": "name,language,category,status", "limit": 200},
        )
        return [item for item in answer.get("data") or () if item.get("status") == "APPROVED"]

    def send_template(self, to: str, template: str, language: str, parameters: list[str] = ()) -> str:
        """Write to someone outside the window with an approved template and its parameters."""
        approved = {(item.get("name"), item.get("language")) for item in self.approved_templates()}
        if (template, language) not in approved:
            raise ConnectorError(
                MESSAGES["no_template"], permanent=True, params={"template": template, "language": language}
            )
        components = (
            [{"type": "body", "parameters": [{"type": "text", "text": value} for value in parameters]}]
            if parameters
            else []
        )
        body = {
            "to": to,
            "type": "template",
            "template": {"name": template, "language": {"code": language}, "components": components},
        }
        return self._send(body)

    def check_health(self) -> str:
        number = self._client().node(
            self.channel.config["phone_number_id"], "display_phone_number,verified_name"
        )
        return f"{number.get('verified_name', '')} ({number.get('display_phone_number', '')})"


def whatsapp_error(error: outbound.HttpError) -> ConnectorError:
    """WhatsApp's own codes first (they come with HTTP 400), then Meta's mapping."""
    code = graph_error(error).get("code")
    if code == WINDOW_CLOSED_CODE:
        return ConnectorError(MESSAGES["window"], permanent=True)
    if code in RATE_CODES:
        return outbound.HttpError(
            MESSAGES["slow_down"],
            retry_after=error.retry_after or 60,
            status=error.status,
            detail=error.detail,
        )
    return map_error(error)
