"""Days off that only the organisation knows: local holidays an admin adds to the calendar.

National and regional holidays come from the ``holidays`` package (:mod:`.public_days`);
a town's own two local festivities do not, so an admin enters them here. An organisation's
calendar also shows the local days of the organisations above it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LocalHoliday(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="local_holidays",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "name"]
        verbose_name = _("local holiday")
        verbose_name_plural = _("local holidays")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="one_local_holiday_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
