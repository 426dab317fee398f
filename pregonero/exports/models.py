"""Exports of archive records for access requests (RULES.md REC-1).

A person asks for an export of a search; a background task writes a ZIP (records, CSV, an
accessible PDF summary, the media, the chain proof and a manifest) into the media storage and
the person is told by e-mail. The file is kept until ``expires_at`` and then removed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired and removed")


class ExportStage(models.TextChoices):
    NONE = "", _("Not started")
    RECORDS = "records", _("Writing the records")
    PROOF = "proof", _("Writing the chain proof")
    MEDIA = "media", _("Copying the media")
    SUMMARY = "summary", _("Writing the PDF summary")
    STORING = "storing", _("Storing the file")


class ExportJob(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The search the export was made of (see selection.py), as the person submitted it.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    redact = models.BooleanField(_("personal data of third parties redacted"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    stage = models.CharField(max_length=10, choices=ExportStage.choices, blank=True, default="")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The ZIP's name in the media storage (local disk or S3), its size and SHA-256.
    file = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("archive export")
        verbose_name_plural = _("archive exports")
        indexes = [models.Index(fields=["organisation", "-created_at"], name="export_org_created")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == ExportState.READY:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def download_name(self) -> str:
        return f"archive-export-{self.pk}.zip"
