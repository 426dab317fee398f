"""What citizens see and subscribe to: the news page and its items, the e-mail bulletin.

A :class:`NewsItem` is one publication on the organisation's own website channel, with a
permanent number. It is never deleted (REC-2): withdrawing it keeps the row and hides the
content. A :class:`Subscriber` is a citizen who asked for the e-mail bulletin (double
opt-in, consent recorded); a :class:`BulletinDelivery` records each message sent to one
subscriber for one publication part, so no subscriber ever gets the same part twice.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES


class NewsItem(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="news_items"
    )
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="news_items")
    # The post and publication survive as links only while they exist; the item keeps its
    # own copy of what was published, so it stays a record on its own.
    post = models.ForeignKey(
        "publishing.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="news_items"
    )
    publication = models.OneToOneField(
        "publishing.Publication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_item",
    )
    # The publication part's key: publishing it again returns this item.
    idempotency_key = models.CharField(max_length=100, unique=True)
    # Permanent public number within the organisation: /p/<organisation>/news/<number>/.
    number = models.PositiveIntegerField()
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-published_at", "-number"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="news_number_unique")]
        indexes = [models.Index(fields=["organisation", "language", "-published_at"], name="news_list")]

    def __str__(self) -> str:
        return self.title or f"#{self.number}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class NewsMedia(models.Model):
    """An image shown with a news item, with the description it had when published."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="media")
    media = models.ForeignKey(
        "publishing.Media", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Name of the file in the default storage.
    file_name = models.CharField(max_length=500)
    mime = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="news_media_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.position}"


class Subscriber(models.Model):
    """A citizen on a bulletin's list. Only confirmed, not unsubscribed rows receive it.

    ``__str__`` never shows the address, so it cannot leak into logs or the audit log.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="subscribers"
    )
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="subscribers")
    # Stored lower-cased, so one address is one row per bulletin.
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    created_at = models.DateTimeField(default=timezone.now)
    # SHA-256 of the confirmation token; the token itself only travels in the e-mail.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What the person read and accepted, word for word, and where from (GDPR art. 7.1).
    consent_text = models.TextField()
    consent_version = models.CharField(max_length=40)
    consent_at = models.DateTimeField(default=timezone.now)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["channel", "email"], name="one_subscription_per_address")
        ]
        indexes = [models.Index(fields=["consent_ip", "token_sent_at"], name="subscriber_rate")]

    def __str__(self) -> str:
        return f"subscriber #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DeliveryState(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Temporary error")
    REFUSED = "refused", _("Refused by the mail server")
    UNKNOWN = "unknown", _("Unknown: interrupted while sending")


class BulletinDelivery(models.Model):
    """One bulletin message to one subscriber for one publication part (its key)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    publication = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    part_key = models.CharField(max_length=100)
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.SENDING)
    attempts = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bulletin delivery")
        verbose_name_plural = _("bulletin deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "part_key"], name="one_delivery_per_part")
        ]
        indexes = [models.Index(fields=["part_key", "state"], name="delivery_part_state")]

    def __str__(self) -> str:
        return f"{self.part_key} → {self.subscriber} ({self.state})"
