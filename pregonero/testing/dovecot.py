"""A private Dovecot IMAP server and an SMTP sink (aiosmtpd) on 127.0.0.1 for the mail tests.

Dovecot (Debian ``dovecot-imapd``, installed by ``scripts/ensure-dovecot``) runs in the
foreground with a configuration of its own in a temporary directory: a passwd-file of test
users, Maildir folders, plaintext login allowed (loopback only, no TLS), a free high port. It
touches no system service or file: its run, state and mail directories are all in that
directory, and it is stopped by its own process group id.

Run as root, Dovecot refuses to let its login processes or mail users be root, so it uses the
package's own unprivileged users (``dovenull`` for logins, ``dovecot`` for mail); run as anyone
else, everything runs as that user.

Fixtures: ``dovecot_server`` (one per session), ``dovecot`` (the same, with the outbound guard
allowing loopback), ``mail_account`` (a fresh user on it), ``smtp_sink`` (an aiosmtpd sink).
Where Dovecot cannot be installed the tests skip loudly, and fail in CI
(:mod:`pregonero.testing.peers`).
"""

from __future__ import annotations

import imaplib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from pregonero.testing.peers import ensure_installed, loud_skip

# Mailboxes info1@… to info<USERS>@… all have this password.
USERS = 500
PASSWORD = "correct-horse-mail"
DOVECOT = Path(shutil.which("dovecot") or "/usr/sbin/dovecot")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class MailAccount:
    username: str
    password: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return self.username


def write_certificate(certificate: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 (tests that speak TLS trust it explicitly)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key.chmod(0o600)


class Dovecot:
    """One Dovecot with its own configuration under a fresh temporary directory."""

    def __init__(self) -> None:
        self.port = free_port()
        # Not under pytest's 0700 directories: Dovecot's unprivileged login process must reach
        # the sockets in base_dir when the tests run as root.
        self.workdir = Path(tempfile.mkdtemp(prefix="pregonero-dovecot-"))
        self.workdir.chmod(0o755)
        self.passwd = self.workdir / "passwd"
        self.passwd.write_text(
            "".join(f"info{n}@vilanova.test:{{PLAIN}}{PASSWORD}::::::\n" for n in range(1, USERS + 1))
        )
        self._numbers = itertools.count(1)
        self.passwd.chmod(0o644)
        self.home = self.workdir / "home"
        self.home.mkdir()
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            self.uid, self.gid = mail_user.pw_uid, mail_user.pw_gid
            os.chown(self.home, self.uid, self.gid)
            login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
        else:
            me = pwd.getpwuid(os.geteuid())
            self.uid, self.gid = me.pw_uid, me.pw_gid
            login_user = internal_user = me.pw_name
            internal_group = str(self.gid)
        self.tls_port = free_port()
        self.certificate = self.workdir / "cert.pem"
        write_certificate(self.certificate, self.workdir / "key.pem")
        (self.workdir / "run").mkdir()
        (self.workdir / "state").mkdir()
        self.config = self.workdir / "dovecot.conf"
        self.config.write_text(self._config(login_user, internal_user, internal_group))
        self.log = self.workdir / "dovecot.log"
        self._output = (self.workdir / "stdout.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [str(DOVECOT), "-F", "-c", str(self.config)],
            stdout=self._output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_until_ready()

    def _config(self, login_user: str, internal_user: str, internal_group: str) -> str:
        work = self.workdir
        return f"""
base_dir = {work}/run
state_dir = {work}/state
log_path = {work}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{work}/cert.pem
ssl_key = <{work}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.passwd}
  default_fields = uid={self.uid} gid={self.gid} home={self.home}/%u
}}
"""

    def _wait_until_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self.process.returncode}; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on port {self.port}; see {self.log}")

    def add_user(self, username: str, password: str) -> MailAccount:
        """The next of the users written before the server started, each with an empty mailbox
        (``username`` is its prefix). Dovecot notices a changed passwd-file only by its mtime
        in whole seconds, so users are not added while it runs."""
        number = next(self._numbers)
        if number > USERS:
            raise RuntimeError(f"all {USERS} test mailboxes are used")
        return MailAccount(
            username=f"{username}{number}@vilanova.test", password=password, host="127.0.0.1", port=self.port
        )

    def login(self, account: MailAccount) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(account.username, account.password)
        return connection

    def append(self, account: MailAccount, raw: bytes, folder: str = "INBOX") -> int:
        """Deliver ``raw`` into the folder as a mail program would; return its UID."""
        connection = self.login(account)
        try:
            status, data = connection.append(folder, None, None, raw)
            assert status == "OK", data
            return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
        finally:
            connection.logout()

    def messages(self, account: MailAccount, folder: str = "INBOX") -> list[tuple[bytes, EmailMessage]]:
        """(flags, message) of every message in the folder, by UID."""
        connection = self.login(account)
        try:
            connection.select(f'"{folder}"', readonly=True)
            _status, data = connection.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[])")
        finally:
            connection.logout()
        found = []
        for item in data:
            if isinstance(item, tuple):
                flags = re.search(rb"FLAGS \(([^)]*)\)", item[0])
                found.append(
                    (flags.group(1) if flags else b"", message_from_bytes(item[1], policy=policy.default))
                )
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._output.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


@dataclass
class SmtpSink:
    """aiosmtpd on 127.0.0.1 keeping what it receives: ``received`` is (envelope recipients,
    message) pairs."""

    port: int = 0
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    """One private Dovecot for the whole session: tests make their own users on it."""
    ensure_installed("ensure-dovecot", DOVECOT, "Dovecot (IMAP server)")
    try:
        server = Dovecot()
    except (RuntimeError, KeyError, OSError) as error:
        loud_skip(f"Dovecot could not be started: {error}")
    yield server
    server.stop()


@pytest.fixture
def dovecot(dovecot_server, settings) -> Dovecot:
    # It listens on 127.0.0.1, which the outbound guard refuses by default.
    settings.OUTBOUND_ALLOW_PRIVATE = True
    return dovecot_server


@pytest.fixture
def mail_account(dovecot) -> MailAccount:
    """A fresh mailbox (the server lives for the session, so names must differ)."""
    return dovecot.add_user("info", PASSWORD)


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    settings.OUTBOUND_ALLOW_PRIVATE = True
    try:
        yield sink
    finally:
        controller.stop()
