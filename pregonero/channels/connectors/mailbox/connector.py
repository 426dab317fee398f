"""The organisation's public information mailbox (info@…): citizens' e-mails become private
conversations in the inbox, and staff answer them from there.

Reading: IMAP (implicit TLS or STARTTLS; no encryption only to this machine), one folder,
messages read with ``BODY.PEEK`` so they stay unread for people who also use the mailbox in a
mail program. The cursor is ``<UIDVALIDITY>:<last UID>``: a folder rebuilt by the server (new
UIDVALIDITY) is read again from its most recent messages, and the inbox's deduplication on the
Message-ID stores nothing twice.

Answering: ``reply`` finds the message being answered in the folder by its Message-ID, sends
the answer from the mailbox address with ``In-Reply-To``, ``References`` and a ``Re:``
subject, marks the citizen's message answered (``\\Answered``) and, if a sent folder is set,
keeps a copy there. The answer's Message-ID is ours (:func:`parse.new_message_id`), so a
citizen's answer to it lands in the same conversation. Sending uses the channel's own SMTP
settings, or, without an SMTP server set, this Pregonero server's outgoing mail settings.

Nothing is published to a mailbox (``capabilities.publish`` is false).
"""

from __future__ import annotations

import logging
import smtplib
import uuid

from django.core.mail import EmailMessage, mailers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pregonero.channels.connectors.base import (
    Capabilities,
    Connected,
    Connector,
    ConnectorError,
    Limits,
    OutgoingPart,
    PublishResult,
)
from pregonero.channels.connectors.email.message import site_domain
from pregonero.channels.connectors.inbound import InboundBatch
from pregonero.channels.connectors.mailbox import client, parse
from pregonero.channels.connectors.mailbox.forms import SMTP_PORTS, ConnectForm, SettingsForm

logger = logging.getLogger(__name__)

# Messages read per call (oldest first); the rest wait for the next minute.
BATCH = 50
# Without a cursor (a new channel, or a folder rebuilt by the server), the most recent ones.
FIRST_FETCH = 20

MESSAGES = {
    "no_publish": gettext_noop(
        "Nothing is published to a mailbox: it is for answering the messages citizens send to it."
    ),
    "gone": gettext_noop(
        "The message being answered is no longer in the folder %(folder)s of the mailbox (moved or "
        "deleted?): answer it from a mail program."
    ),
    "no_recipient": gettext_noop("The message being answered has no address to answer to."),
}


class MailboxConnector(Connector):
    key = "mailbox"
    name = _("Public information mailbox (e-mail)")
    capabilities = Capabilities(publish=False, reply=True, direct_messages=True)
    limits = Limits(max_length=None, max_thread=1)
    connect_form = ConnectForm
    settings_form = SettingsForm

    @classmethod
    def start_connect(cls, data: dict, *, return_url: str) -> Connected:
        imap = client.ServerSettings(
            host=data["imap_host"],
            port=data["imap_port"],
            security=data["imap_security"],
            username=data["username"],
            password=data["password"],
        )
        with client.imap_session(imap) as session:
            session.select(data["folder"])
        smtp_password = data.get("smtp_password") or ""
        config = {
            "address": data["address"].lower(),
            "imap_host": data["imap_host"],
            "imap_port": data["imap_port"],
            "imap_security": data["imap_security"],
            "username": data["username"],
            "folder": data["folder"],
            "smtp_host": data.get("smtp_host") or "",
            "smtp_port": data.get("smtp_port") or None,
            "smtp_security": data.get("smtp_security") or client.STARTTLS,
            "smtp_username": data.get("smtp_username") or "",
        }
        secrets = {"password": data["password"]}
        if smtp_password:
            secrets["smtp_password"] = smtp_password
        if config["smtp_host"]:
            client.check_smtp(_smtp_settings(config, secrets))
        return Connected(config=config, secrets=secrets, account=config["address"])

    # --- Settings -------------------------------------------------------------------------

    def _imap(self) -> client.ServerSettings:
        config = self.channel.config
        return client.ServerSettings(
            host=config["imap_host"],
            port=int(config["imap_port"]),
            security=config["imap_security"],
            username=config["username"],
            password=self.channel.secret_values().get("password", ""),
        )

    def _own_addresses(self) -> set[str]:
        config = self.channel.config
        return {
            value.lower()
            for value in (config.get("address"), config.get("username"))
            if value and "@" in value
        }

    # --- Contract -------------------------------------------------------------------------

    def publish(self, part: OutgoingPart) -> PublishResult:
        raise ConnectorError(MESSAGES["no_publish"], permanent=True)

    def check_health(self) -> str:
        folder = self.channel.config.get("folder", "INBOX")
        with client.imap_session(self._imap()) as session:
            session.select(folder)
        return f"{self.channel.config.get('address', '')} → {folder}"

    def fetch_inbound(self, cursor: str | None) -> InboundBatch:
        folder = self.channel.config.get("folder", "INBOX")
        with client.imap_session(self._imap()) as session:
            validity = session.select(folder)
            read = parse.read_cursor(cursor)
            if read is not None and read[0] == validity:
                last = read[1]
                uids = session.uids(after=last)[:BATCH]
            else:
                # No cursor, or the server renumbered the folder: start from the most recent.
                last = 0
                uids = session.uids()[-FIRST_FETCH:]
            raw = session.fetch(uids)
        messages = []
        own = self._own_addresses()
        for uid in uids:
            if uid not in raw:
                continue
            try:
                message = parse.parse_message(raw[uid], own)
            except Exception:  # noqa: BLE001 - one unreadable mail must not stop the others
                logger.warning("Mailbox channel %s: message UID %s could not be read", self.channel.pk, uid)
                continue
            if message is not None:
                messages.append(message)
        next_uid = max(uids) if uids else last
        return InboundBatch(messages=tuple(messages), cursor=parse.cursor_value(validity, next_uid))

    def reply(self, conversation: str, text: str, in_reply_to: str | None = None) -> str:
        """Answer the citizen's message ``in_reply_to`` (its Message-ID) by e-mail, in its
        thread; return our answer's Message-ID."""
        config = self.channel.config
        folder = config.get("folder", "INBOX")
        own = self._own_addresses()
        with client.imap_session(self._imap()) as session:
            session.select(folder, readonly=False)
            uid = session.find(in_reply_to or "")
            if uid is None:
                raise ConnectorError(MESSAGES["gone"], permanent=True, params={"folder": folder})
            original = session.fetch([uid], headers_only=True).get(uid, b"")
            headers = parse.reply_headers(original, own)
            if not headers.to:
                raise ConnectorError(MESSAGES["no_recipient"], permanent=True)
            message_id = parse.new_message_id(uuid.uuid4().hex, site_domain())
            message = self._message(headers, text, message_id)
            self._send(message, headers.to)
            try:
                session.flag_answered(uid)
                if config.get("sent_folder"):
                    session.append(config["sent_folder"], message.message().as_bytes())
            except Exception:  # noqa: BLE001 - the answer went; the mailbox's bookkeeping may fail
                logger.warning(
                    "Mailbox channel %s: answer sent, but not filed in the mailbox", self.channel.pk
                )
        return message_id

    def _message(self, headers: parse.ReplyHeaders, text: str, message_id: str) -> EmailMessage:
        config = self.channel.config
        extra = {"Message-ID": message_id, "In-Reply-To": headers.in_reply_to}
        if headers.references:
            extra["References"] = " ".join(headers.references)
        if not headers.in_reply_to:
            del extra["In-Reply-To"]
        return EmailMessage(
            subject=headers.subject,
            body=text,
            from_email=parse.mailbox_address(config["address"], self.channel.organisation.name),
            to=list(headers.to),
            headers=extra,
        )

    def _send(self, message: EmailMessage, recipients: tuple[str, ...]) -> None:
        config = self.channel.config
        if config.get("smtp_host"):
            client.send(_smtp_settings(config, self.channel.secret_values()), message.message(), recipients)
            return
        try:
            mailers.default.send_messages([message])
        except smtplib.SMTPRecipientsRefused as error:
            raise ConnectorError(
                client.MESSAGES["refused"], permanent=True, params={"reason": "550"}
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectorError(client.MESSAGES["unreachable"], params={"host": "SMTP"}) from error


def _smtp_settings(config: dict, secrets: dict) -> client.ServerSettings:
    security = config.get("smtp_security") or client.STARTTLS
    username = config.get("smtp_username") or ""
    return client.ServerSettings(
        host=config["smtp_host"],
        port=int(config.get("smtp_port") or SMTP_PORTS[security]),
        security=security,
        username=username,
        password=(secrets.get("smtp_password") or secrets.get("password", "")) if username else "",
    )
