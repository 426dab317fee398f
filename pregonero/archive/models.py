"""The archive: every post published and every message sent or received, as it was, for good.

Records are append-only and hash-chained per organisation (RULES.md REC-1, REC-2). A record's
hash covers its description and the digest of its content, so the content can later be
destroyed at the end of its retention period (DATA-5) while the chain still verifies: the
destruction blanks the content, keeps the digest, and appends a tombstone record that names
the destroyed one. ``pregonero archive verify`` checks all of it (see chain.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    POST_PUBLISHED = "post.published", _("Post published")
    POST_CHANGED = "post.changed", _("Post changed on the network")
    POST_REMOVED = "post.removed", _("Post removed")
    MESSAGE_RECEIVED = "message.received", _("Message received")
    MESSAGE_SENT = "message.sent", _("Message sent")
    MESSAGE_EDITED = "message.edited", _("Message edited by its author")
    MESSAGE_DELETED = "message.deleted", _("Message deleted")
    MODERATION = "moderation", _("Moderation decision")
    DESTROYED = "record.destroyed", _("Record destroyed at the end of its retention")


class Direction(models.TextChoices):
    OUT = "out", _("From us")
    IN = "in", _("To us")
    NONE = "", _("Internal")


class AppendOnlyQuerySet(models.QuerySet):
    """Records are written by services.append() and changed only by block() and destroy()."""

    def delete(self):
        raise TypeError("Archive records are never deleted; destroy their content instead.")


class ArchiveRecord(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    seq = models.PositiveBigIntegerField(editable=False)
    captured_at = models.DateTimeField(_("captured"), editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # What the record is about, e.g. "publishing.publication" 12 or "inbox.message" 40.
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=64)
    # Plain numbers and labels, not foreign keys: the record must read (and hash) the same
    # after the channel, conversation or department it names is renamed or removed.
    channel_ref = models.BigIntegerField(_("channel"), null=True, blank=True)
    channel_label = models.CharField(_("channel"), max_length=200, blank=True)
    network = models.CharField(_("network"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, blank=True)
    remote_id = models.CharField(max_length=500, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    conversation_ref = models.BigIntegerField(null=True, blank=True)
    post_ref = models.BigIntegerField(null=True, blank=True)
    department_ref = models.BigIntegerField(_("department"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    # Everything else worth keeping: variants, media with their descriptions, the network's
    # own payload of a message, the reason of a removal...
    content = models.JSONField(default=dict, blank=True)
    content_digest = models.CharField(max_length=64, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    # Not part of the proof: labels and lifecycle that may change after capture.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)
    blocked_reason = models.CharField(max_length=200, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-captured_at", "-seq"]
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="archive_org_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "-captured_at"], name="archive_org_captured"),
            models.Index(fields=["organisation", "kind"], name="archive_org_kind"),
            models.Index(fields=["source_type", "source_id"], name="archive_source"),
            models.Index(fields=["organisation", "conversation_ref"], name="archive_conversation"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.captured_at:%Y-%m-%d %H:%M}"

    def delete(self, *args, **kwargs):
        raise TypeError("Archive records are never deleted; destroy their content instead.")
