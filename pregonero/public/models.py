"""What citizens see and subscribe to: the news page and its items, the e-mail bulletin.

A :class:`NewsItem` is one publication on the organisation's own website channel, with a
permanent number. It is never deleted (REC-2): withdrawing it keeps the row and hides the
content. A :class:`Subscriber` is a citizen who asked for the e-mail bulletin (double
opt-in, consent recorded); a :class:`BulletinDelivery` records each message sent to one
subscriber for one publication part, so no subscriber ever gets the same part twice.

:class:`OfficialAccount` rows make up the public registry of official accounts (GOV-1);
:class:`PrivacyNotice` and :class:`AccessibilityStatement` are the texts of the public
data-protection notice and accessibility statement (A11Y-7), one row per language.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES
from pregonero.text.fold import fold


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
    # Title and text lower-cased without accents, so one query finds "Plaça" and "plaza"
    # the same way on SQLite and PostgreSQL; kept by save().
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-number"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="news_number_unique")]
        indexes = [models.Index(fields=["organisation", "language", "-published_at"], name="news_list")]

    def __str__(self) -> str:
        return self.title or f"#{self.number}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.title}\n{self.body}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

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


class OfficialAccount(models.Model):
    """One line of the public registry of the organisation's official accounts (GOV-1).

    For a connected channel the row only says whether the channel is listed (a channel with
    no row is listed) and may give a better profile address than the one Pregonero works
    out. An account not connected to Pregonero (a YouTube channel) has no channel and
    carries its own network, handle and address: "also official".
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="official_accounts"
    )
    channel = models.OneToOneField(
        "channels.Channel",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="official_listing",
    )
    network = models.CharField(_("network"), max_length=80, blank=True)
    handle = models.CharField(_("handle or name"), max_length=200, blank=True)
    url = models.URLField(_("profile address"), max_length=500, blank=True)
    listed = models.BooleanField(_("shown on the official channels page"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "handle"]
        verbose_name = _("official account")
        verbose_name_plural = _("official accounts")

    def __str__(self) -> str:
        return f"{self.network} {self.handle}".strip() or str(self.channel)


class PrivacyNotice(models.Model):
    """The data-protection notice in one language, layered (GDPR art. 13, LOPDGDD art. 11):
    the basic information first, the full text behind it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="privacy_notices"
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    controller = models.TextField(_("controller"))
    purpose = models.TextField(_("purposes"))
    legal_basis = models.TextField(_("legal basis"))
    recipients = models.TextField(_("recipients"))
    rights = models.TextField(_("rights"))
    full_text = models.TextField(_("additional information (full text)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data-protection notice")
        verbose_name_plural = _("data-protection notices")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="one_privacy_notice_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.language}"


class Conformity(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AccessibilityStatement(models.Model):
    """The accessibility statement in one language, following the model of RD 1112/2018
    (art. 15) and its implementing decision: conformity, what is not accessible and why,
    when it was prepared, how to give feedback and the enforcement procedure."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="accessibility_statements"
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    conformity = models.CharField(
        _("compliance status"), max_length=10, choices=Conformity.choices, default=Conformity.PARTIAL
    )
    non_accessible = models.TextField(_("non-accessible content"), blank=True)
    prepared_on = models.DateField(_("date the statement was prepared"))
    method = models.TextField(_("how the statement was prepared"))
    reviewed_on = models.DateField(_("date of the last review"), null=True, blank=True)
    contact = models.TextField(_("feedback and contact"))
    enforcement = models.TextField(_("enforcement procedure"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="one_accessibility_statement_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.language}"
