"""The IMAP and SMTP conversations with the organisation's mail server (standard library).

Every failure becomes a :class:`ConnectorError`: a refused login, a missing folder or an
invalid certificate are permanent (a person must change something); a server that cannot be
reached or drops the connection is temporary. The server's host is checked like every address
a person types (``outbound.check_target``: no private networks unless allowed), and a
connection without TLS is only allowed to this machine.
"""

from __future__ import annotations

import base64
import imaplib
import re
import smtplib
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage

from django.utils.translation import gettext_noop

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError

TIMEOUT = 30
# Each message is read up to this many bytes: enough for any text, and large attachments are
# listed only when their part starts within it.
MAX_FETCH_BYTES = 2_000_000
SSL, STARTTLS, PLAIN = "ssl", "starttls", "none"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

MESSAGES = {
    "login": gettext_noop(
        "The mail server refused the user name or password: check them and reconnect the channel."
    ),
    "folder": gettext_noop("The mailbox has no folder called %(folder)s."),
    "certificate": gettext_noop("The mail server's certificate is not valid for %(host)s."),
    "unreachable": gettext_noop("The mail server %(host)s could not be reached; Pregonero will try again."),
    "plain": gettext_noop(
        "A connection without encryption is only allowed to a mail server on this machine."
    ),
    "starttls": gettext_noop("The mail server does not offer STARTTLS; choose another security setting."),
    "smtp_login": gettext_noop(
        "The outgoing mail server refused the user name or password: check them and reconnect the channel."
    ),
    "refused": gettext_noop("The outgoing mail server refused the message: %(reason)s"),
}


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    security: str
    username: str = ""
    password: str = ""


def check_host(server: ServerSettings) -> None:
    if server.security == PLAIN and server.host.lower() not in LOOPBACK:
        raise ConnectorError(MESSAGES["plain"], permanent=True)
    # The same guard as every other address typed by a person (private networks refused).
    outbound.check_target(f"https://{server.host}:{server.port}/")


def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _unreachable(server: ServerSettings, error: Exception) -> ConnectorError:
    if isinstance(error, ssl.SSLCertVerificationError):
        return ConnectorError(MESSAGES["certificate"], permanent=True, params={"host": server.host})
    return ConnectorError(MESSAGES["unreachable"], params={"host": server.host})


def imap_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3): "Ciudadanía" is "Ciudadan&AO0-a"."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).rstrip(b"=")
            out.append("&" + encoded.decode("ascii").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def quote_folder(name: str) -> str:
    """A folder name as an IMAP quoted string."""
    name = imap_utf7(name)
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Imap:
    """One logged-in IMAP session. Use :func:`imap_session`."""

    def __init__(self, connection: imaplib.IMAP4, server: ServerSettings):
        self.connection = connection
        self.server = server

    def select(self, folder: str, *, readonly: bool = True) -> int:
        """Open ``folder``; return its UIDVALIDITY."""
        status, _data = self.connection.select(quote_folder(folder), readonly=readonly)
        if status != "OK":
            raise ConnectorError(MESSAGES["folder"], permanent=True, params={"folder": folder})
        validity = self.connection.response("UIDVALIDITY")[1]
        return int(validity[0]) if validity and validity[0] else 0

    def uids(self, after: int | None = None) -> list[int]:
        """UIDs in the open folder, ascending: all, or those above ``after``."""
        criteria = f"UID {after + 1}:*" if after is not None else "ALL"
        status, data = self.connection.uid("SEARCH", None, criteria)
        if status != "OK":
            raise ConnectorError(MESSAGES["unreachable"], params={"host": self.server.host})
        found = sorted({int(item) for item in b" ".join(part or b"" for part in data).split()})
        # "n:*" always includes the highest UID, even below n (RFC 3501 6.4.8).
        return [uid for uid in found if after is None or uid > after]

    def fetch(self, uids: Iterable[int], *, headers_only: bool = False) -> dict[int, bytes]:
        """The messages' bytes (the first :data:`MAX_FETCH_BYTES`), without marking them read."""
        uids = list(uids)
        if not uids:
            return {}
        section = "BODY.PEEK[HEADER]" if headers_only else f"BODY.PEEK[]<0.{MAX_FETCH_BYTES}>"
        status, data = self.connection.uid("FETCH", ",".join(map(str, uids)), f"(UID {section})")
        if status != "OK":
            raise ConnectorError(MESSAGES["unreachable"], params={"host": self.server.host})
        found: dict[int, bytes] = {}
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                match = re.search(rb"UID (\d+)", item[0])
                if match:
                    found[int(match.group(1))] = item[1]
        return found

    def find(self, message_id: str) -> int | None:
        """The UID of the message with this Message-ID in the open folder, if it is there."""
        if not message_id or any(char in message_id for char in '"\\\r\n'):
            return None
        status, data = self.connection.uid("SEARCH", None, "HEADER", "Message-ID", f'"{message_id}"')
        if status != "OK":
            return None
        found = [int(item) for item in b" ".join(part or b"" for part in data).split()]
        return max(found) if found else None

    def flag_answered(self, uid: int) -> None:
        self.connection.uid("STORE", str(uid), "+FLAGS", r"(\Answered)")

    def append(self, folder: str, raw: bytes) -> None:
        self.connection.append(quote_folder(folder), r"(\Seen)", None, raw)


@contextmanager
def imap_session(server: ServerSettings) -> Iterator[Imap]:
    check_host(server)
    try:
        if server.security == SSL:
            connection = imaplib.IMAP4_SSL(
                server.host, server.port, ssl_context=_ssl_context(), timeout=TIMEOUT
            )
        else:
            connection = imaplib.IMAP4(server.host, server.port, timeout=TIMEOUT)
            if server.security == STARTTLS:
                if "STARTTLS" not in connection.capabilities:
                    connection.shutdown()
                    raise ConnectorError(MESSAGES["starttls"], permanent=True)
                connection.starttls(ssl_context=_ssl_context())
    except (OSError, imaplib.IMAP4.error) as error:
        raise _unreachable(server, error) from error
    try:
        try:
            connection.login(server.username, server.password)
        except imaplib.IMAP4.abort as error:
            raise _unreachable(server, error) from error
        except imaplib.IMAP4.error as error:
            raise ConnectorError(MESSAGES["login"], permanent=True) from error
        try:
            yield Imap(connection, server)
        except imaplib.IMAP4.abort as error:
            raise _unreachable(server, error) from error
        except imaplib.IMAP4.error as error:
            raise ConnectorError(MESSAGES["unreachable"], params={"host": server.host}) from error
        except (TimeoutError, OSError) as error:
            raise _unreachable(server, error) from error
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            connection.logout()


@contextmanager
def smtp_session(server: ServerSettings) -> Iterator[smtplib.SMTP]:
    """A connected (and, given a user name, logged-in) SMTP session with our own settings."""
    check_host(server)
    try:
        if server.security == SSL:
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=_ssl_context())
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    except (OSError, smtplib.SMTPException) as error:
        raise _unreachable(server, error) from error
    try:
        smtp.ehlo()
        if server.security == STARTTLS:
            if not smtp.has_extn("starttls"):
                raise ConnectorError(MESSAGES["starttls"], permanent=True)
            smtp.starttls(context=_ssl_context())
            smtp.ehlo()
        if server.username:
            smtp.login(server.username, server.password)
        yield smtp
    except smtplib.SMTPAuthenticationError as error:
        raise ConnectorError(MESSAGES["smtp_login"], permanent=True) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise ConnectorError(MESSAGES["refused"], permanent=True, params={"reason": _codes(error)}) from error
    except smtplib.SMTPResponseException as error:
        raise ConnectorError(
            MESSAGES["refused"], permanent=error.smtp_code >= 500, params={"reason": str(error.smtp_code)}
        ) from error
    except (OSError, smtplib.SMTPException) as error:
        raise _unreachable(server, error) from error
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def send(server: ServerSettings, message: EmailMessage, recipients: Iterable[str]) -> None:
    """Send one message through our own SMTP settings."""
    with smtp_session(server) as smtp:
        smtp.send_message(message, to_addrs=list(recipients))


def check_smtp(server: ServerSettings) -> None:
    """Connect and log in to the outgoing server without sending anything."""
    with smtp_session(server):
        pass


def _codes(error: smtplib.SMTPRecipientsRefused) -> str:
    # Never the addresses: only the server's codes.
    return ", ".join(sorted({str(code) for code, _message in error.recipients.values()}))
