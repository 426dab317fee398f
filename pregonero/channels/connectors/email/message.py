"""One bulletin message for one subscriber: plain text, a simple HTML alternative, and the
unsubscribe headers of RFC 2369 and RFC 8058."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator

from pregonero.channels.models import Channel
from pregonero.public.models import Subscriber
from pregonero.public.subscriptions import from_address, unsubscribe_url


class OneLineHeader(str):
    """A header value written on one line (RFC 5322 allows up to 998 characters).

    Python's e-mail policy wraps a word longer than 78 characters, such as an unsubscribe
    address, in RFC 2047 encoded words, which mail clients do not decode in
    List-Unsubscribe. The policy keeps header objects that fold themselves (their
    ``name`` and ``fold``) as they are.
    """

    name: str

    def __new__(cls, name: str, value: str) -> OneLineHeader:
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self) -> tuple[str, str]:
        # Copies (the locmem backend keeps deep copies of messages) need both values.
        return (self.name, str(self))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


@dataclass(frozen=True)
class BulletinContent:
    """What goes out in one language, the same for every subscriber who reads it."""

    language: str
    subject: str
    text: str
    # Descriptions of the post's images, which stay on the website to keep messages small.
    image_descriptions: tuple[str, ...] = ()
    # The permanent address of the same post on the website channel, when it has one.
    web_url: str = ""


def subject_for(title: str, text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Truncator(title or first_line).chars(120)


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def build_message(
    channel: Channel, subscriber: Subscriber, content: BulletinContent
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(subscriber)
    context = {
        "organisation": channel.organisation,
        "channel": channel,
        "content": content,
        "unsubscribe_url": unsubscribe,
    }
    with translation.override(content.language):
        body = render_to_string("public/email/bulletin.txt", context)
        html = render_to_string("public/email/bulletin.html", context)
    domain = site_domain()
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=body,
        from_email=from_address(channel),
        to=[subscriber.email],
        headers={
            "Message-ID": make_msgid(domain=domain),
            "List-Id": f"<bulletin-{channel.pk}.{channel.organisation.slug}.{domain}>",
            "List-Unsubscribe": OneLineHeader("List-Unsubscribe", f"<{unsubscribe}>"),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
