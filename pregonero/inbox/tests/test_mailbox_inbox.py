"""End to end with a real Dovecot and an SMTP sink: a citizen's e-mail becomes a private
conversation, the answer written in the inbox leaves by SMTP in the citizen's thread, and the
citizen's answer to it comes back into the same conversation."""

from __future__ import annotations

import pytest

from pregonero.channels.connectors.mailbox.connector import MailboxConnector
from pregonero.channels.models import Channel
from pregonero.inbox import ingest, services
from pregonero.inbox.models import Conversation, Direction, Kind, Message

pytestmark = pytest.mark.django_db


def mail(message_id: str, subject: str, text: str, **headers) -> bytes:
    extra = "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in headers.items())
    return (
        f"Message-ID: {message_id}\r\n"
        "Date: Tue, 17 Nov 2026 09:41:07 +0100\r\n"
        "From: =?UTF-8?Q?Marta_Puig_Garc=C3=ADa?= <marta.puig@example.net>\r\n"
        "To: info@vilanova.test\r\n"
        f"Subject: {subject}\r\n{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{text}\r\n"
    ).encode()


@pytest.fixture
def mailbox_channel(vilanova, dovecot, mail_account, smtp_sink) -> Channel:
    connected = MailboxConnector.start_connect(
        {
            "address": mail_account.address,
            "imap_host": mail_account.host,
            "imap_port": mail_account.port,
            "imap_security": "none",
            "username": mail_account.username,
            "password": mail_account.password,
            "folder": "INBOX",
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_sink.port,
            "smtp_security": "none",
            "smtp_username": "",
            "smtp_password": "",
        },
        return_url="",
    )
    channel = Channel(organisation=vilanova, connector="mailbox", name="Buzón", config=connected.config)
    channel.set_secret_values(connected.secrets)
    channel.save()
    return channel


def test_an_email_becomes_a_conversation_is_answered_by_smtp_and_the_follow_up_joins_it(
    dovecot, mail_account, mailbox_channel, smtp_sink, ana
):
    dovecot.append(
        mail_account, mail("<c0ffee01@example.net>", "Contenedor roto", "El contenedor está roto.")
    )
    ingest.ingest_all()

    first = Message.objects.get(channel=mailbox_channel, remote_id="<c0ffee01@example.net>")
    conversation = first.conversation
    assert conversation.kind == Kind.PRIVATE
    assert conversation.citizen_handle == "marta.puig@example.net"
    assert conversation.citizen_name == "Marta Puig García"
    assert first.text == "Contenedor roto\n\nEl contenedor está roto."

    sent = services.reply(conversation, actor=ana, text="Avisamos al servicio de limpieza.", language="es")
    [(recipients, delivered)] = smtp_sink.received
    assert recipients == ["marta.puig@example.net"]
    assert delivered["In-Reply-To"] == "<c0ffee01@example.net>"
    assert delivered["Subject"] == "Re: Contenedor roto"
    assert delivered["Message-ID"] == sent.remote_id
    assert "Avisamos al servicio de limpieza." in delivered.get_content()
    assert sent.direction == Direction.OUT

    # The citizen answers our answer (their client names only our message).
    dovecot.append(
        mail_account,
        mail(
            "<c0ffee02@example.net>",
            "Re: Contenedor roto",
            "Gracias.\r\n\r\n> Avisamos al servicio de limpieza.",
            In_Reply_To=sent.remote_id,
        ),
    )
    # A new matter from the same person is a conversation of its own.
    dovecot.append(mail_account, mail("<c0ffee03@example.net>", "Horario del mercado", "¿Abre el lunes?"))
    ingest.ingest_all()
    ingest.ingest_all()  # fetching again stores nothing twice

    follow_up = Message.objects.get(channel=mailbox_channel, remote_id="<c0ffee02@example.net>")
    assert follow_up.conversation_id == conversation.pk
    assert follow_up.text == "Re: Contenedor roto\n\nGracias."
    other = Message.objects.get(channel=mailbox_channel, remote_id="<c0ffee03@example.net>")
    assert other.conversation_id != conversation.pk
    assert Message.objects.filter(channel=mailbox_channel, direction=Direction.IN).count() == 3
    assert Conversation.objects.filter(channel=mailbox_channel).count() == 2
