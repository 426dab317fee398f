"""API tokens, the replies remembered for idempotency keys, webhook endpoints and deliveries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.roles import Role
from pregonero.crypto import EncryptedTextField


class Resource(models.TextChoices):
    """What a token's scopes are about; "write" includes "read" of the same resource."""

    ORGANISATION = "organisation", _("Organisation and departments")
    POSTS = "posts", _("Posts and their media")
    PUBLICATIONS = "publications", _("Publications (retry, mark sent, cancel)")
    CHANNELS = "channels", _("Channels")
    AUDIT = "audit", _("Audit log")
    INBOX = "inbox", _("Inbox conversations, messages and notes")
    ARCHIVE = "archive", _("Archive: search records, request exports")


class Access(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


# Resources a token may only read: the API offers no change to them.
READ_ONLY_RESOURCES = frozenset({Resource.ORGANISATION, Resource.CHANNELS, Resource.AUDIT})
# Writing publications is deciding on them, which has nothing to read of its own: the post shows them.
WRITE_ONLY_RESOURCES = frozenset({Resource.PUBLICATIONS})


class ApiToken(models.Model):
    """A program's access to one organisation, acting for the admin who created it.

    The token itself is shown once; only ``prefix`` (to find the row) and the SHA-256
    ``digest`` of the whole token are kept. A token acts with at most ``role`` and never
    above its creator's current role (:func:`pregonero.accounts.scoping.effective_role`).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    # {"posts": "write", "channels": "read", ...}
    scopes = models.JSONField(_("scopes"), default=dict, blank=True)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # Addresses and networks (CIDR) requests may come from; empty: any.
    allowed_addresses = models.JSONField(_("allowed addresses"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Fixed-window rate limit, kept on the row so any number of web processes share it.
    window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    window_requests = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def allows(self, resource: str, access: str) -> bool:
        granted = self.scopes.get(resource)
        return granted == Access.WRITE or (granted == Access.READ and access == Access.READ)


class IdempotentReply(models.Model):
    """The first reply to a POST sent with an ``Idempotency-Key``, replayed to its retries."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="one_reply_per_token_key")]
        indexes = [models.Index(fields=["token", "created_at"], name="idempotent_reply_age")]

    def __str__(self) -> str:
        return f"{self.token_id}:{self.key}"


class Event(models.TextChoices):
    """Events an endpoint can subscribe to; the inbox and archive will add theirs."""

    POST_PUBLISHED = "post.published", _("A post was published on all its channels")
    POST_FAILED = "post.failed", _("A publication of a post failed")
    PUBLICATION_UNKNOWN = "publication.unknown", _("Pregonero cannot tell whether a publication went out")
    CHANNEL_UNHEALTHY = "channel.unhealthy", _("A channel stopped working")
    MESSAGE_RECEIVED = "message.received", _("A citizen's message arrived in the inbox")
    CONVERSATION_OVERDUE = "conversation.overdue", _("The answer to a conversation is overdue")
    EXPORT_READY = "export.ready", _("An archive export is ready to download")


class WebhookEndpoint(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Signs every delivery (HMAC-SHA256); shown once, encrypted at rest.
    secret = EncryptedTextField()
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Will retry")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint; every attempt updates it."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=60)
    # The same for every endpoint and every re-send of one event: receivers deduplicate on it.
    event_id = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField()
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    # An English source message (translated when shown) and technical detail after a newline.
    last_error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    resent_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"

    @property
    def error_message(self) -> str:
        """The translatable first line of ``last_error``; the rest is technical detail."""
        return self.last_error.partition("\n")[0]


class ChannelHealthSeen(models.Model):
    """The health last announced for a channel, so ``channel.unhealthy`` goes out once per change."""

    channel = models.OneToOneField("channels.Channel", on_delete=models.CASCADE, related_name="+")
    health = models.CharField(max_length=10)

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.health}"


class OverdueAnnounced(models.Model):
    """The overdue notice last announced for a conversation, so ``conversation.overdue`` goes
    out once per notice the inbox sends (once per clock)."""

    conversation = models.OneToOneField("inbox.Conversation", on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.notified_at}"
