"""Bulletin subscriptions: double opt-in with recorded consent, and unsubscribing.

Addresses are personal data: logs and the audit log name subscribers by number only.
Nothing but the confirmation message is ever sent to an address until it is confirmed.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pregonero.accounts.models import Organisation
from pregonero.audit import services as audit
from pregonero.channels.models import Channel
from pregonero.public.models import Subscriber
from pregonero.public.news import absolute

logger = logging.getLogger(__name__)

CONFIRMATION_VALID = timedelta(hours=48)
# One address gets at most one confirmation message in this time, so the form cannot be
# used to flood someone's mailbox.
RESEND_AFTER = timedelta(minutes=10)
# Subscription requests from one network address per hour.
MAX_REQUESTS_PER_ADDRESS = 10
RATE_WINDOW = timedelta(hours=1)
# Raise when the wording of the data-protection template changes in meaning.
CONSENT_TEMPLATE_VERSION = "1"
UNSUBSCRIBE_SALT = "pregonero.public.unsubscribe"
CITIZEN = "citizen"


class TooManyRequests(Exception):
    """This network address asked for too many subscriptions recently."""


class ConfirmationNotSent(Exception):
    """The mail server did not take the confirmation message; the person may try again later."""


@dataclass(frozen=True)
class Consent:
    text: str
    version: str


def email_channels(organisation: Organisation):
    return Channel.objects.filter(organisation=organisation, connector="email", is_active=True).order_by(
        "name", "pk"
    )


def consent_for(channel: Channel, language: str) -> Consent:
    """The layered data-protection information shown next to the consent box, and its version.

    The version names the template and a digest of the exact words, so a changed text
    (another language, a new privacy address) is a different version.
    """
    context = {
        "organisation": channel.organisation,
        "channel": channel,
        "privacy_url": channel.config.get("privacy_url", ""),
    }
    with translation.override(language):
        text = render_to_string("public/consent.txt", context).strip()
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Consent(text=text, version=f"{CONSENT_TEMPLATE_VERSION}-{digest}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def from_address(channel: Channel) -> str:
    """The organisation's name with the channel's sending address (or the server's default)."""
    address = channel.config.get("from_email") or settings.DEFAULT_FROM_EMAIL
    return str(Address(display_name=channel.organisation.name, addr_spec=address))


def too_many_requests(ip: str | None) -> bool:
    if not ip:
        return False
    since = timezone.now() - RATE_WINDOW
    return (
        Subscriber.objects.filter(consent_ip=ip, token_sent_at__gte=since).count() >= MAX_REQUESTS_PER_ADDRESS
    )


def request_subscription(
    *, channel: Channel, email: str, language: str, consent: Consent, ip: str | None
) -> None:
    """Record the request and the consent and send a confirmation link.

    Says nothing about whether the address was already on the list (the caller shows the
    same answer either way). Raises :class:`TooManyRequests` or :class:`ConfirmationNotSent`.
    """
    if too_many_requests(ip):
        raise TooManyRequests
    email = email.strip().lower()
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().filter(channel=channel, email=email).first()
            if subscriber is not None and (
                subscriber.is_active
                or subscriber.token_sent_at
                and now - subscriber.token_sent_at < RESEND_AFTER
            ):
                return
            if subscriber is None:
                subscriber = Subscriber(organisation_id=channel.organisation_id, channel=channel, email=email)
            subscriber.language = language
            subscriber.token_hash = _hash(token)
            subscriber.token_sent_at = now
            subscriber.confirmed_at = None
            subscriber.unsubscribed_at = None
            subscriber.consent_text = consent.text
            subscriber.consent_version = consent.version
            subscriber.consent_at = now
            subscriber.consent_ip = ip or None
            subscriber.save()
    except IntegrityError:
        # Someone else just asked for the same address; their request stands.
        return
    _record(subscriber, "subscriber.requested")
    try:
        _send_confirmation(subscriber, token)
    except OSError as error:
        Subscriber.objects.filter(pk=subscriber.pk).update(token_sent_at=None)
        logger.warning("Confirmation for subscriber %s not sent: %s", subscriber.pk, type(error).__name__)
        raise ConfirmationNotSent from error


def _send_confirmation(subscriber: Subscriber, token: str) -> None:
    organisation = subscriber.organisation
    link = absolute(reverse("public:confirm", kwargs={"org": organisation.slug, "token": token}))
    context = {
        "organisation": organisation,
        "channel": subscriber.channel,
        "link": link,
        "valid_hours": int(CONFIRMATION_VALID.total_seconds() // 3600),
    }
    with translation.override(subscriber.language):
        subject = render_to_string("public/email/confirm_subject.txt", context).strip()
        body = render_to_string("public/email/confirm_body.txt", context)
    EmailMessage(subject, body, from_address(subscriber.channel), [subscriber.email]).send()


def subscriber_for_confirmation(organisation: Organisation, token: str) -> Subscriber | None:
    """The subscriber whose confirmation link this is, while it is still valid."""
    subscriber = (
        Subscriber.objects.filter(organisation=organisation, token_hash=_hash(token))
        .exclude(token_hash="")
        .select_related("channel")
        .first()
    )
    if subscriber is None or subscriber.token_sent_at is None:
        return None
    if timezone.now() - subscriber.token_sent_at > CONFIRMATION_VALID:
        return None
    return subscriber


def confirm(subscriber: Subscriber) -> None:
    """Confirm the subscription (double opt-in, second step). Confirming again changes nothing."""
    if subscriber.confirmed_at is not None:
        return
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["confirmed_at"])
    _record(subscriber, "subscriber.confirmed")


def unsubscribe_token(subscriber: Subscriber) -> str:
    # Signed, not stored: every bulletin carries it, and it works for as long as the list does.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute(
        reverse(
            "public:unsubscribe",
            kwargs={"org": subscriber.organisation.slug, "token": unsubscribe_token(subscriber)},
        )
    )


def subscriber_for_unsubscribe(organisation: Organisation, token: str) -> Subscriber | None:
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Subscriber.objects.filter(organisation=organisation, pk=pk).select_related("channel").first()


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop sending to this subscriber. Unsubscribing again changes nothing."""
    changed = Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    if changed:
        subscriber.refresh_from_db()
        _record(subscriber, "subscriber.unsubscribed")


def purge_unconfirmed(now=None) -> int:
    """Delete requests never confirmed within their link's life; returns how many.

    They were never subscribers, so nothing of them needs keeping (data minimisation).
    """
    limit = (now or timezone.now()) - CONFIRMATION_VALID
    # Someone who unsubscribed and asked again without confirming keeps the row that
    # their past deliveries hang on.
    deleted, _by_model = Subscriber.objects.filter(
        confirmed_at__isnull=True, token_sent_at__lt=limit, deliveries__isnull=True
    ).delete()
    return deleted


def subscriber_counts(organisation: Organisation) -> dict[int, int]:
    """Confirmed, current subscribers per channel id."""
    rows = (
        Subscriber.objects.filter(
            organisation=organisation, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        )
        .values("channel_id")
        .annotate(count=Count("pk"))
    )
    return {row["channel_id"]: row["count"] for row in rows}


def _record(subscriber: Subscriber, action: str) -> None:
    audit.record(
        action,
        organisation=subscriber.organisation,
        obj=subscriber,
        details={"channel": subscriber.channel_id, "language": subscriber.language},
        actor_label=CITIZEN,
    )
