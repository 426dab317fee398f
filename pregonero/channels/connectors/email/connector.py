"""E-mail bulletin: each publication goes, once, to every confirmed subscriber of the channel.

Exactly once per subscriber: before a message goes to the mail server, its
:class:`~pregonero.public.models.BulletinDelivery` row (subscriber x part key) is committed
as ``sending``. Publishing the same key again sends only to subscribers without a delivery
and to those whose last try failed before the server took the message. A row left in
``sending`` by a worker that died is marked ``unknown`` after :data:`SENDING_LEASE` and is
not sent again: a person can read it in the deliveries, rather than the citizen getting
the message twice.

Languages: a publication carries one language. Each subscriber gets the version in their
language when the post has one on this channel, else the organisation's default language
version, else the first official language that has one (:func:`bulletin_language`).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from pregonero.channels.connectors.base import (
    Capabilities,
    Connector,
    ConnectorError,
    Limits,
    MoreToSend,
    OutgoingPart,
    PublishResult,
)
from pregonero.channels.connectors.email.forms import SettingsForm
from pregonero.channels.connectors.email.message import BulletinContent, build_message, subject_for
from pregonero.public import news
from pregonero.public.models import BulletinDelivery, DeliveryState, NewsItem, Subscriber
from pregonero.publishing.models import Publication, PublicationState

logger = logging.getLogger(__name__)

SENDING_LEASE = timedelta(minutes=15)
STILL_TO_SEND = gettext_noop("%(count)d of %(total)d bulletin messages are still to be sent.")


def bulletin_language(
    subscriber_language: str, available: Iterable[str], default: str, official: Iterable[str]
) -> str | None:
    """The language version a subscriber receives, among the ``available`` ones."""
    available = set(available)
    if subscriber_language in available:
        return subscriber_language
    if default in available:
        return default
    for code in official:
        if code in available:
            return code
    return min(available) if available else None


class EmailConnector(Connector):
    key = "email"
    name = _("E-mail bulletin")
    capabilities = Capabilities(publish=True, media=True, idempotent_publish=True)
    # Images are not attached: the message lists their descriptions and links to the web page.
    limits = Limits(max_length=None, max_thread=1, max_media=10, image_types=news.IMAGE_TYPES)
    # The message links to the news item the website channel publishes at the post's time;
    # one dispatcher pass later, that item exists.
    publish_after = timedelta(seconds=30)
    settings_form = SettingsForm

    def publish(self, part: OutgoingPart) -> PublishResult:
        """Send the bulletin to every subscriber who has not had this part yet.

        Raises a temporary :class:`ConnectorError` while some messages are still to go;
        calling again with the same key sends only those.
        """
        if part.index != 0:
            # The first part carried the whole text (news.whole_text).
            return PublishResult(remote_id=news.first_part_key(part))
        publication = news.publication_for_key(self.channel, part.idempotency_key)
        content = self._content(part, publication)
        recipients = self._recipients(part.language, publication)
        batch = max(1, settings.BULLETIN_BATCH_SIZE)
        pending, unreached = self._deliver(part.idempotency_key, publication, content, recipients, batch)
        params = {"count": pending + unreached, "total": len(recipients)}
        if pending:
            raise ConnectorError(STILL_TO_SEND, params=params)
        if unreached:
            # A large list goes out in batches, so no single call holds a worker for long and
            # the mail server's hourly quota can be respected (BULLETIN_BATCH_INTERVAL).
            raise MoreToSend(STILL_TO_SEND, params=params, retry_after=settings.BULLETIN_BATCH_INTERVAL)
        return PublishResult(remote_id=part.idempotency_key, url=content.web_url)

    def find_published(self, idempotency_key: str) -> PublishResult | None:
        """Published means every current recipient has a delivery that will not be retried."""
        deliveries = BulletinDelivery.objects.filter(channel=self.channel, part_key=idempotency_key)
        first = deliveries.first()
        if first is None or deliveries.filter(state=DeliveryState.FAILED).exists():
            return None
        publication = news.publication_for_key(self.channel, idempotency_key)
        delivered = set(deliveries.values_list("subscriber_id", flat=True))
        if any(sub.pk not in delivered for sub in self._recipients(first.language, publication)):
            return None
        return PublishResult(remote_id=idempotency_key)

    def _content(self, part: OutgoingPart, publication: Publication | None) -> BulletinContent:
        text = news.whole_text(part, publication)
        post = publication.post if publication is not None else None
        title = part.title or (post.title if post is not None else "")
        web_item = (
            NewsItem.objects.filter(post=post, language=part.language, withdrawn_at__isnull=True)
            .select_related("organisation")
            .first()
            if post is not None
            else None
        )
        return BulletinContent(
            language=part.language,
            subject=subject_for(title, text),
            text=text,
            image_descriptions=tuple(m.description for m in part.media if m.mime in news.IMAGE_TYPES),
            web_url=news.news_url(web_item) if web_item is not None else "",
        )

    def _recipients(self, language: str, publication: Publication | None) -> list[Subscriber]:
        organisation = self.channel.organisation
        available = {language}
        if publication is not None:
            available |= set(
                Publication.objects.filter(post_id=publication.post_id, channel=self.channel)
                .exclude(state=PublicationState.CANCELLED)
                .values_list("variant__language", flat=True)
            )
        official = news.organisation_languages(organisation)
        subscribers = Subscriber.objects.filter(
            channel=self.channel, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).order_by("pk")
        return [
            subscriber
            for subscriber in subscribers
            if bulletin_language(subscriber.language, available, organisation.default_language, official)
            == language
        ]

    def _deliver(
        self,
        key: str,
        publication: Publication | None,
        content: BulletinContent,
        recipients: list[Subscriber],
        batch: int,
    ) -> tuple[int, int]:
        """Send to up to ``batch`` recipients not yet served; return how many failed and are
        still to be sent, and how many this call did not reach."""
        pending = 0
        connection = None
        served = set(
            BulletinDelivery.objects.filter(channel=self.channel, part_key=key)
            .exclude(state__in=(DeliveryState.FAILED, DeliveryState.SENDING))
            .values_list("subscriber_id", flat=True)
        )
        waiting = [subscriber for subscriber in recipients if subscriber.pk not in served]
        unreached = max(0, len(waiting) - batch)
        try:
            for index, subscriber in enumerate(waiting[:batch]):
                delivery = self._claim(subscriber, key, publication, content.language)
                if delivery is None:
                    continue
                message = build_message(self.channel, subscriber, content)
                try:
                    if connection is None:
                        connection = mailers.default
                        connection.open()
                    connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused as error:
                    self._finish(delivery, DeliveryState.REFUSED, error=_describe(error))
                    continue
                except smtplib.SMTPResponseException as error:
                    state = DeliveryState.REFUSED if error.smtp_code >= 500 else DeliveryState.FAILED
                    self._finish(delivery, state, error=_describe(error))
                    if state == DeliveryState.FAILED:
                        pending += 1
                    continue
                except (smtplib.SMTPException, OSError) as error:
                    # The server is gone: the rest waits for the next try.
                    self._finish(delivery, DeliveryState.FAILED, error=_describe(error))
                    pending += min(len(waiting), batch) - index
                    logger.warning("Bulletin %s stopped: %s", key, _describe(error))
                    break
                self._finish(delivery, DeliveryState.SENT, message_id=message.extra_headers["Message-ID"])
        finally:
            if connection is not None:
                connection.close()
        return pending, unreached

    def _claim(
        self, subscriber: Subscriber, key: str, publication: Publication | None, language: str
    ) -> BulletinDelivery | None:
        """Commit the intention to send before sending; None when it is not ours to send."""
        now = timezone.now()
        delivery, created = BulletinDelivery.objects.get_or_create(
            subscriber=subscriber,
            part_key=key,
            defaults={
                "channel": self.channel,
                "publication": publication,
                "language": language,
                "state": DeliveryState.SENDING,
                "attempts": 1,
                "attempted_at": now,
            },
        )
        if created:
            return delivery
        if delivery.state == DeliveryState.FAILED:
            claimed = BulletinDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.FAILED).update(
                state=DeliveryState.SENDING, attempted_at=now, attempts=F("attempts") + 1, error=""
            )
            if claimed:
                delivery.refresh_from_db()
                return delivery
        elif delivery.state == DeliveryState.SENDING and delivery.attempted_at < now - SENDING_LEASE:
            BulletinDelivery.objects.filter(
                pk=delivery.pk, state=DeliveryState.SENDING, attempted_at=delivery.attempted_at
            ).update(state=DeliveryState.UNKNOWN, error=gettext("Interrupted while sending; not sent again."))
        return None

    @staticmethod
    def _finish(delivery: BulletinDelivery, state: str, *, error: str = "", message_id: str = "") -> None:
        delivery.state = state
        delivery.error = error
        delivery.message_id = message_id
        if state == DeliveryState.SENT:
            delivery.sent_at = timezone.now()
        delivery.save(update_fields=["state", "error", "message_id", "sent_at"])


def _describe(error: Exception) -> str:
    # SMTP errors can echo the recipient's address; keep only the server's code.
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"
