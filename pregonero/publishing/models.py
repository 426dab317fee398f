"""Posts, their language versions, per-channel variants, media, history and publications.

A :class:`Post` is written once (one :class:`PostText` per language), adapted into one
:class:`Variant` per language and channel, and goes out as one :class:`Publication` per
variant. Publications carry the exactly-once state machine (DESIGN.md "Exactly once");
every call to a network leaves a :class:`PublicationAttempt`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES


class Category(models.TextChoices):
    SERVICE = "service", _("Service information")
    AGENDA = "agenda", _("Agenda / event")
    EMERGENCY = "emergency", _("Emergency")
    CAMPAIGN = "campaign", _("Institutional campaign")
    OTHER = "other", _("Other")


class PostState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    PARTLY_PUBLISHED = "partly_published", _("Partly published")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Post(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("department"),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.SERVICE
    )
    tags = models.JSONField(_("campaign tags"), default=list, blank=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Used as the headline on the news page and in e-mail."),
    )
    state = models.CharField(_("state"), max_length=20, choices=PostState.choices, default=PostState.DRAFT)
    channels = models.ManyToManyField(
        "channels.Channel", blank=True, related_name="posts", verbose_name=_("channels")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    scheduled_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # Incremented on every saved edit; forms carry it so a stale edit is refused, not lost.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["organisation", "scheduled_at"]),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_emergency(self) -> bool:
        return self.category == Category.EMERGENCY


class PostText(models.Model):
    """The post in one language, before adaptation to any channel."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    body = models.TextField(_("text"))
    # Drafted by machine translation and not yet confirmed by a person (LANG-3).
    machine_translated = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "language"], name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.post} [{self.language}]"


class Variant(models.Model):
    """What goes out on one channel in one language: the adapted text, split into parts."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="variants")
    body = models.TextField(blank=True)
    # The posts of a thread, in order; a single element when everything fits.
    parts = models.JSONField(default=list)
    # A person changed the adaptation: regenerating from the post text must not overwrite it.
    edited = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "language", "channel"], name="one_variant_per_channel_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} [{self.language}] → {self.channel}"


def media_path(instance: Media, filename: str) -> str:
    return f"posts/{instance.organisation_id}/{uuid.uuid4().hex}/{filename}"


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")


class Media(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("file"), upload_to=media_path)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(
        _("text description"), blank=True, help_text=_("What the image shows, for people who cannot see it.")
    )
    captions = models.FileField(_("captions (WebVTT or SRT)"), upload_to=media_path, blank=True)
    shows_minors = models.BooleanField(_("shows children under 14"), default=False)
    consent_recorded = models.BooleanField(_("parental consent recorded"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("media file")
        verbose_name_plural = _("media files")

    def __str__(self) -> str:
        return self.file.name

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class PostRevision(models.Model):
    """One saved edit of a post: who, when and the whole content then (history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField()
    autosave = models.BooleanField(default=False)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.post} r{self.number}"


class PublicationState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRY_WAIT = "retry_wait", _("Will retry")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown: check the network")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


# States a dispatcher may pick up when due.
DUE_STATES = (PublicationState.QUEUED, PublicationState.RETRY_WAIT)
FINAL_STATES = (PublicationState.SENT, PublicationState.FAILED, PublicationState.CANCELLED)


class Publication(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="publications")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="publications")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="publications")
    state = models.CharField(max_length=12, choices=PublicationState.choices, default=PublicationState.QUEUED)
    due_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    attempt_count = models.PositiveIntegerField(default=0)
    # Stable for the life of the publication: each part's key is "<key>-<index>".
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One entry per published part: {"remote_id": ..., "url": ...}.
    remote_parts = models.JSONField(default=list)
    remote_id = models.CharField(max_length=255, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    # An English source message (translated when shown) and the values it interpolates.
    last_error = models.TextField(blank=True)
    last_error_params = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="publication_due"),
            models.Index(fields=["state", "lease_until"], name="publication_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} ({self.state})"


class AttemptOutcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    SUCCESS = "success", _("Sent")
    TRANSIENT = "transient", _("Temporary error")
    PERMANENT = "permanent", _("Refused")
    INTERRUPTED = "interrupted", _("Interrupted")


class PublicationAttempt(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    worker = models.CharField(max_length=80)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.PENDING)
    # As Publication.last_error, plus technical detail after a newline (never translated).
    error = models.TextField(blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    retry_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="attempt_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} #{self.number} {self.outcome}"


class ApprovalRule(models.TextChoices):
    NONE = "none", _("No approval needed")
    CATEGORIES = "categories", _("Approval for some categories")
    ALL = "all", _("Approval for every post")


class PublishingPolicy(models.Model):
    """How an organisation wants its posts reviewed before they go out."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="publishing_policy"
    )
    approval = models.CharField(max_length=12, choices=ApprovalRule.choices, default=ApprovalRule.ALL)
    approval_categories = models.JSONField(default=list, blank=True)
    approval_channels = models.ManyToManyField("channels.Channel", blank=True, related_name="+")
    # The author of a post can never approve it.
    four_eyes = models.BooleanField(default=True)
    # CRISIS-1: while set, nothing but emergency posts goes out.
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pause_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"publishing policy of {self.organisation}"


class CheckOverride(models.Model):
    """A person's decision that one blocking finding of the pre-flight checks may go out anyway.

    It names the finding by its fingerprint (:mod:`pregonero.compliance.preflight`), so an edit
    of the text concerned leaves it behind. It counts at once, except for election rules
    (ELEC-*), which need a second approver's confirmation (RULES.md ELEC-2).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="check_overrides")
    rule = models.CharField(_("rule"), max_length=20)
    fingerprint = models.CharField(max_length=64)
    # The finding as the person who asked read it, kept for the record.
    message = models.TextField(_("finding"))
    evidence = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    needs_confirmation = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("override of a check")
        verbose_name_plural = _("overrides of checks")
        constraints = [
            models.UniqueConstraint(fields=["post", "fingerprint"], name="one_override_per_finding")
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.rule}"

    @property
    def in_force(self) -> bool:
        return not self.needs_confirmation or self.confirmed_at is not None
