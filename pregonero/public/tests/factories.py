"""Rows for public-page and connector tests, built directly (no composer, no dispatcher)."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from django.utils import timezone

from pregonero.accounts.models import Organisation, Person
from pregonero.channels.connectors.base import OutgoingMedia, OutgoingPart
from pregonero.channels.models import Channel
from pregonero.public.models import Subscriber
from pregonero.publishing.models import Post, PostText, Publication, Variant


def make_channel(organisation: Organisation, connector: str, name: str = "", **config) -> Channel:
    return Channel.objects.create(
        organisation=organisation, connector=connector, name=name or connector.title(), config=config
    )


def make_post(organisation: Organisation, author: Person, texts: dict[str, str], title: str = "") -> Post:
    post = Post.objects.create(organisation=organisation, author=author, title=title, state="publishing")
    for language, body in texts.items():
        PostText.objects.create(post=post, language=language, body=body)
    return post


def make_publication(
    post: Post, channel: Channel, language: str, parts: list[str] | None = None
) -> Publication:
    body = post.texts.get(language=language).body
    variant = Variant.objects.create(
        post=post, language=language, channel=channel, body=body, parts=parts or [body]
    )
    return Publication.objects.create(
        organisation=post.organisation, post=post, variant=variant, channel=channel, due_at=timezone.now()
    )


def part_for(
    publication: Publication, index: int = 0, media: tuple[OutgoingMedia, ...] = (), **extra
) -> OutgoingPart:
    parts = publication.variant.parts
    return OutgoingPart(
        text=parts[index],
        language=publication.variant.language,
        index=index,
        total=len(parts),
        idempotency_key=f"{publication.idempotency_key}-{index}",
        title=publication.post.title,
        media=media,
        extra=extra,
    )


def make_subscriber(
    channel: Channel, email: str, language: str = "es", confirmed: bool = True, unsubscribed: bool = False
) -> Subscriber:
    now = timezone.now()
    return Subscriber.objects.create(
        organisation=channel.organisation,
        channel=channel,
        email=email,
        language=language,
        token_sent_at=now,
        confirmed_at=now if confirmed else None,
        unsubscribed_at=now if unsubscribed else None,
        consent_text="Consent text as shown",
        consent_version="test",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What a real SMTP server on loopback received: one entry per delivered message."""

    def __init__(self):
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.original_content, policy=policy.default))
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.messages if address in recipients]


@contextmanager
def smtp_server(settings):
    """Run aiosmtpd on 127.0.0.1 and point the default mailer at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield mailbox
    finally:
        controller.stop()


def feed_xml(content: bytes) -> ET.Element:
    """Parse a feed this project generated (trusted input), failing if it is not well-formed."""
    return ET.fromstring(content)  # noqa: S314


def as_citizens_read_it(message: str, language: str = "es", **values) -> str:
    """``message`` as the public pages show it: in the organisation's language (Spanish for
    the test town halls), whatever language the staff interface of the tests uses."""
    from django.utils import translation

    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text
