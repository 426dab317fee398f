"""The public information mailbox connector against a real Dovecot (IMAP) and aiosmtpd (SMTP)
on 127.0.0.1 (pregonero/testing/dovecot.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.channels import health
from pregonero.channels.connectors.base import ConnectorError, OutgoingPart
from pregonero.channels.connectors.mailbox import parse
from pregonero.channels.connectors.mailbox.connector import FIRST_FETCH, MailboxConnector
from pregonero.channels.models import Channel, Health
from pregonero.channels.tests.payloads import mailbox as payloads


def citizen_mail(number: int, subject: str = "Consulta", to: str = "info@vilanova.test", **headers) -> bytes:
    extra = "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in headers.items())
    return (
        f"Message-ID: <consulta{number}@example.net>\r\n"
        f"Date: Tue, 17 Nov 2026 09:{number % 60:02d}:00 +0100\r\n"
        f"From: Vecina {number} <vecina{number}@example.net>\r\n"
        f"To: {to}\r\n"
        f"Subject: {subject} {number}\r\n{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Pregunta número {number} ✉️\r\n"
    ).encode()


def connect_data(account, **changes) -> dict:
    data = {
        "address": account.address,
        "imap_host": account.host,
        "imap_port": account.port,
        "imap_security": "none",
        "username": account.username,
        "password": account.password,
        "folder": "INBOX",
        "smtp_host": "",
        "smtp_port": None,
        "smtp_security": "starttls",
        "smtp_username": "",
        "smtp_password": "",
    }
    return {**data, **changes}


@pytest.fixture
def mailbox_channel(vilanova, dovecot, mail_account, smtp_sink) -> Channel:
    """A mailbox channel of vilanova on ``mail_account``, answering through ``smtp_sink``."""
    connected = MailboxConnector.start_connect(
        connect_data(mail_account, smtp_host="127.0.0.1", smtp_port=smtp_sink.port, smtp_security="none"),
        return_url="",
    )
    channel = Channel(organisation=vilanova, connector="mailbox", name="Buzón", config=connected.config)
    channel.set_secret_values(connected.secrets)
    channel.save()
    return channel


def test_an_admin_connects_the_mailbox_and_the_password_is_kept_encrypted(
    client_for, alba, vilanova, dovecot, mail_account
):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "mailbox"]),
        {
            "name": "Información",
            "account-address": mail_account.address,
            "account-imap_host": "127.0.0.1",
            "account-imap_port": mail_account.port,
            "account-imap_security": "none",
            "account-username": mail_account.username,
            "account-password": mail_account.password,
            "account-folder": "INBOX",
            "account-smtp_security": "starttls",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="Información")
    assert channel.connector == "mailbox"
    assert channel.config["account"] == mail_account.address
    assert channel.secret_values() == {"password": mail_account.password}
    assert mail_account.password not in str(channel.config)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM channels_channel WHERE id = %s", [channel.pk])
        assert mail_account.password not in cursor.fetchone()[0]
    assert AuditEntry.objects.filter(action="channel.connected").exists()


def test_a_wrong_password_is_refused_on_the_connect_page(client_for, alba, vilanova, dovecot, mail_account):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "mailbox"]),
        {
            "name": "Información",
            "account-address": mail_account.address,
            "account-imap_host": "127.0.0.1",
            "account-imap_port": mail_account.port,
            "account-imap_security": "none",
            "account-username": mail_account.username,
            "account-password": "wrong",
            "account-folder": "INBOX",
            "account-smtp_security": "starttls",
        },
    )
    assert response.status_code == 200
    assert "refused the user name or password" in response.content.decode()
    assert not Channel.objects.filter(name="Información").exists()


def test_a_folder_that_does_not_exist_is_refused(dovecot, mail_account):
    with pytest.raises(ConnectorError) as caught:
        MailboxConnector.start_connect(connect_data(mail_account, folder="Ciudadanía"), return_url="")
    assert caught.value.permanent
    assert "Ciudadanía" in str(caught.value)


def test_no_encryption_is_refused_for_a_server_that_is_not_this_machine(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    from pregonero.channels.connectors.mailbox import client

    server = client.ServerSettings(host="mail.example.org", port=143, security="none")
    with pytest.raises(ConnectorError) as caught:
        client.check_host(server)
    assert caught.value.permanent


def test_a_mail_server_on_a_private_network_is_refused_unless_allowed(mail_account, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(ConnectorError) as caught:
        MailboxConnector.start_connect(connect_data(mail_account), return_url="")
    assert caught.value.permanent
    assert "private network" in str(caught.value)


def test_messages_come_in_oldest_first_and_stay_unread(dovecot, mail_account, mailbox_channel):
    for number in (1, 2, 3):
        dovecot.append(mail_account, citizen_mail(number))
    batch = mailbox_channel.get_connector().fetch_inbound(None)
    assert [m.remote_id for m in batch.messages] == [f"<consulta{n}@example.net>" for n in (1, 2, 3)]
    assert batch.messages[0].text == "Consulta 1\n\nPregunta número 1 ✉️"
    assert batch.messages[0].author_id == "vecina1@example.net"
    assert all(b"\\Seen" not in flags for flags, _message in dovecot.messages(mail_account))


def test_the_cursor_brings_only_what_arrived_since(dovecot, mail_account, mailbox_channel):
    connector = mailbox_channel.get_connector()
    dovecot.append(mail_account, citizen_mail(1))
    first = connector.fetch_inbound(None)
    again = connector.fetch_inbound(first.cursor)
    assert again.messages == () and again.cursor == first.cursor
    dovecot.append(mail_account, citizen_mail(2))
    dovecot.append(mail_account, payloads.AUTO_REPLY)
    later = connector.fetch_inbound(first.cursor)
    assert [m.remote_id for m in later.messages] == ["<consulta2@example.net>"]
    validity, last = parse.read_cursor(later.cursor)
    assert (validity, last) == (parse.read_cursor(first.cursor)[0], 3)


def test_an_empty_folder_gives_a_cursor_from_which_every_later_message_comes(
    dovecot, mail_account, mailbox_channel
):
    connector = mailbox_channel.get_connector()
    empty = connector.fetch_inbound(None)
    assert empty.messages == ()
    dovecot.append(mail_account, citizen_mail(7))
    assert [m.remote_id for m in connector.fetch_inbound(empty.cursor).messages] == [
        "<consulta7@example.net>"
    ]


def test_without_a_cursor_only_the_most_recent_messages_are_read(dovecot, mail_account, mailbox_channel):
    for number in range(FIRST_FETCH + 3):
        dovecot.append(mail_account, citizen_mail(number))
    batch = mailbox_channel.get_connector().fetch_inbound(None)
    assert len(batch.messages) == FIRST_FETCH
    assert batch.messages[0].remote_id == "<consulta3@example.net>"


def test_a_renumbered_folder_is_read_again_from_its_most_recent_messages(
    dovecot, mail_account, mailbox_channel
):
    dovecot.append(mail_account, citizen_mail(1))
    connector = mailbox_channel.get_connector()
    validity, _last = parse.read_cursor(connector.fetch_inbound(None).cursor)
    stale = parse.cursor_value(validity + 1, 999)
    assert [m.remote_id for m in connector.fetch_inbound(stale).messages] == ["<consulta1@example.net>"]


def test_health_names_the_mailbox_and_a_changed_password_needs_attention(mail_account, mailbox_channel):
    health.check(mailbox_channel)
    mailbox_channel.refresh_from_db()
    assert mailbox_channel.health == Health.OK
    mailbox_channel.set_secret_values({"password": "changed-elsewhere"})
    mailbox_channel.save()
    health.check(mailbox_channel)
    mailbox_channel.refresh_from_db()
    assert mailbox_channel.health == Health.BROKEN
    assert "reconnect" in mailbox_channel.health_message


def test_a_mail_server_that_does_not_answer_is_a_temporary_error(mail_account, mailbox_channel):
    from pregonero.testing.dovecot import free_port

    mailbox_channel.config["imap_port"] = free_port()
    with pytest.raises(ConnectorError) as caught:
        mailbox_channel.get_connector().check_health()
    assert not caught.value.permanent


def test_an_answer_goes_by_smtp_in_the_citizens_thread(dovecot, mail_account, mailbox_channel, smtp_sink):
    dovecot.append(mail_account, payloads.OUTLOOK_REPLY)
    connector = mailbox_channel.get_connector()
    citizen = connector.fetch_inbound(None).messages[0]
    ours = connector.reply(citizen.conversation, "Gracias, lo revisamos.", in_reply_to=citizen.remote_id)
    [(recipients, sent)] = smtp_sink.received
    assert recipients == ["pere.soler@outlook.example"]
    assert sent["Message-ID"] == ours and parse.is_own_message_id(ours)
    assert sent["In-Reply-To"] == "<AM0PR01MB1234@eurprd01.prod.outlook.example>"
    assert sent["References"].split() == [
        "<c0ffee01@example.net>",
        "<AM0PR01MB1234@eurprd01.prod.outlook.example>",
    ]
    assert sent["Subject"] == "Re: Contenedor roto"
    assert sent["From"].addresses[0].addr_spec == mail_account.address
    assert sent.get_content().strip() == "Gracias, lo revisamos."


def test_the_answered_message_is_flagged_and_a_copy_kept_in_the_sent_folder(
    dovecot, mail_account, mailbox_channel, smtp_sink
):
    mailbox_channel.config["sent_folder"] = "Sent"
    dovecot.append(mail_account, citizen_mail(4))
    connector = mailbox_channel.get_connector()
    citizen = connector.fetch_inbound(None).messages[0]
    ours = connector.reply(citizen.conversation, "Hola.", in_reply_to=citizen.remote_id)
    [(flags, _original)] = dovecot.messages(mail_account)
    assert b"\\Answered" in flags
    [(_flags, copy)] = dovecot.messages(mail_account, "Sent")
    assert copy["Message-ID"] == ours
    # Our copy, if the server also filed it in the inbox, is never taken for a citizen's message.
    dovecot.append(mail_account, copy.as_bytes())
    assert connector.fetch_inbound(None).messages[-1].remote_id == citizen.remote_id


def test_without_an_smtp_server_answers_use_the_servers_outgoing_mail(
    settings, dovecot, mail_account, mailbox_channel, smtp_sink
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_sink.port, "timeout": 10},
        }
    }
    mailbox_channel.config["smtp_host"] = ""
    dovecot.append(mail_account, citizen_mail(5))
    connector = mailbox_channel.get_connector()
    citizen = connector.fetch_inbound(None).messages[0]
    connector.reply(citizen.conversation, "Respuesta.", in_reply_to=citizen.remote_id)
    [(recipients, sent)] = smtp_sink.received
    assert recipients == ["vecina5@example.net"]
    assert sent["In-Reply-To"] == "<consulta5@example.net>"


def test_answering_a_message_no_longer_in_the_folder_says_so(mail_account, mailbox_channel, smtp_sink):
    with pytest.raises(ConnectorError) as caught:
        mailbox_channel.get_connector().reply("", "Hola.", in_reply_to="<gone@example.net>")
    assert caught.value.permanent
    assert "no longer in the folder INBOX" in str(caught.value)
    assert smtp_sink.received == []


def test_nothing_is_published_to_a_mailbox(mailbox_channel):
    part = OutgoingPart(text="Bando", language="es", index=0, total=1, idempotency_key="k-0")
    with pytest.raises(ConnectorError) as caught:
        mailbox_channel.get_connector().publish(part)
    assert caught.value.permanent
    assert not MailboxConnector.capabilities.publish


def test_only_admins_reach_the_connect_form_and_outsiders_get_404(client_for, alba, ana, oscar, vilanova):
    url = reverse("channels:connect", args=[vilanova.slug, "mailbox"])
    page = client_for(alba).get(url).content.decode()
    for field in ("account-imap_host", "account-password", "account-folder", "account-smtp_host"):
        assert f'name="{field}"' in page
    assert client_for(ana).get(url).status_code == 403
    assert client_for(oscar).get(url).status_code == 404


def test_no_encryption_to_another_host_is_refused_on_the_form(client_for, alba, vilanova):
    response = client_for(alba).post(
        reverse("channels:connect", args=[vilanova.slug, "mailbox"]),
        {
            "name": "Información",
            "account-address": "info@vilanova.test",
            "account-imap_host": "imap.vilanova.test",
            "account-imap_security": "none",
            "account-username": "info@vilanova.test",
            "account-password": "secret",
            "account-folder": "INBOX",
            "account-smtp_security": "starttls",
        },
    )
    assert response.status_code == 200
    assert "only allowed to a mail server on this machine" in response.content.decode()
    assert not Channel.objects.filter(name="Información").exists()


def test_an_admin_changes_the_folder_and_the_sent_folder(client_for, alba, vilanova, mailbox_channel):
    url = reverse("channels:edit", args=[vilanova.slug, mailbox_channel.pk])
    assert 'name="settings-sent_folder"' in client_for(alba).get(url).content.decode()
    response = client_for(alba).post(
        url,
        {"name": "Buzón", "is_active": "on", "settings-folder": "Ciudadanía", "settings-sent_folder": "Sent"},
    )
    assert response.status_code == 302
    mailbox_channel.refresh_from_db()
    assert (mailbox_channel.config["folder"], mailbox_channel.config["sent_folder"]) == ("Ciudadanía", "Sent")
    assert mailbox_channel.config["imap_host"] == "127.0.0.1"


@pytest.fixture
def trusting_the_test_certificate(dovecot, monkeypatch):
    """The client trusts the private Dovecot's self-signed certificate, and only that."""
    import ssl

    from pregonero.channels.connectors.mailbox import client

    def context() -> ssl.SSLContext:
        trusted = ssl.create_default_context(cafile=str(dovecot.certificate))
        return trusted

    monkeypatch.setattr(client, "_ssl_context", context)


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_from_the_start_and_starttls_both_read_the_mailbox(
    security, dovecot, mail_account, trusting_the_test_certificate
):
    port = dovecot.tls_port if security == "ssl" else dovecot.port
    connected = MailboxConnector.start_connect(
        connect_data(mail_account, imap_security=security, imap_port=port), return_url=""
    )
    assert connected.config["imap_security"] == security
    dovecot.append(mail_account, citizen_mail(9))
    channel = Channel(connector="mailbox", config=connected.config)
    channel.set_secret_values(connected.secrets)
    assert [m.remote_id for m in MailboxConnector(channel).fetch_inbound(None).messages] == [
        "<consulta9@example.net>"
    ]


def test_a_certificate_nobody_vouches_for_is_refused_for_good(dovecot, mail_account):
    with pytest.raises(ConnectorError) as caught:
        MailboxConnector.start_connect(
            connect_data(mail_account, imap_security="ssl", imap_port=dovecot.tls_port), return_url=""
        )
    assert caught.value.permanent
    assert "certificate is not valid" in str(caught.value)
