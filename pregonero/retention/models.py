"""How long citizens' messages are kept, what must not expire, and data-subject requests.

Expiry follows DATA-5: a record is first blocked (kept, out of every search and export, the
inbox's working copy erased), then destroyed when the blocking period ends, leaving the
tombstone the archive's chain needs (pregonero.archive.services.destroy). Our own posts are
never in scope: they are documentary heritage (REC-2).
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Limitation of the possible liabilities (LOPDGDD art. 32 and 78: three years for the gravest).
DEFAULT_BLOCK_DAYS = 3 * 365


class Category(models.TextChoices):
    PRIVATE = "private", _("Private conversations (both sides)")
    PUBLIC = "public", _("Citizens' public comments and mentions")


class RetentionPolicy(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="retention_policies"
    )
    category = models.CharField(_("records"), max_length=10, choices=Category.choices)
    keep_days = models.PositiveIntegerField(
        _("keep for (days after the conversation is closed)"), help_text=_("For example 730 for two years.")
    )
    block_days = models.PositiveIntegerField(
        _("then blocked for (days) before destruction"), default=DEFAULT_BLOCK_DAYS
    )
    active = models.BooleanField(_("applied"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "category"], name="one_policy_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.keep_days} + {self.block_days}"


class LegalHold(models.Model):
    """Records that must not expire while the hold lasts (a lawsuit, an inquiry, an audit)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="legal_holds"
    )
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"))
    everything = models.BooleanField(_("hold every record of the organisation"), default=False)
    citizen = models.CharField(
        _("citizen"), max_length=255, blank=True, help_text=_("A handle, e-mail address or phone number.")
    )
    conversations = models.JSONField(_("conversations"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def active(self) -> bool:
        return self.released_at is None


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (a copy of their data)")
    ERASURE = "erasure", _("Erasure")


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    REJECTED = "rejected", _("Rejected")


class DataSubjectRequest(models.Model):
    """A citizen's request about their own data (GDPR arts. 15 and 17), answered within a month."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="data_subject_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    reference = models.CharField(
        _("registry reference"), max_length=100, blank=True, help_text=_("The entry number in the registry.")
    )
    identifiers = models.JSONField(_("identifiers"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    received_at = models.DateField(_("received on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    blocked_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.pk}"

    @property
    def due_on(self) -> date:
        return one_month_after(self.received_at)


def one_month_after(day: date) -> date:
    """One month to answer (GDPR art. 12.3), counted from receipt: 31 Jan -> 28/29 Feb."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
