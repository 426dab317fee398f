"""Connected accounts: one row per place an organisation publishes to or listens on."""

from __future__ import annotations

import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.crypto import EncryptedTextField


class Health(models.TextChoices):
    UNKNOWN = "unknown", _("Not checked yet")
    OK = "ok", _("Working")
    DEGRADED = "degraded", _("Having problems")
    BROKEN = "broken", _("Needs attention")


class Channel(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="channels",
        verbose_name=_("organisation"),
    )
    connector = models.CharField(_("network"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    # Non-secret settings of the connector (instance address, page id, list name...).
    config = models.JSONField(_("settings"), default=dict, blank=True)
    # Tokens and passwords, as JSON, encrypted at rest; never shown again once saved.
    secrets = EncryptedTextField(blank=True, default="")
    owner_department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="channels",
        verbose_name=_("owner department"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, default=Health.UNKNOWN)
    health_message = models.TextField(_("health details"), blank=True)
    health_checked_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="channel_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_connector(self):
        from pregonero.channels.connectors import connector_class

        return connector_class(self.connector)(self)

    def secret_values(self) -> dict:
        return json.loads(self.secrets) if self.secrets else {}

    def set_secret_values(self, values: dict) -> None:
        self.secrets = json.dumps(values) if values else ""
