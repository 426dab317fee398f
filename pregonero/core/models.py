"""Rows the background machinery keeps so that people can see what it did."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One row per periodic task: when it is next due and what its last run was.

    Workers claim a run by moving ``next_run_at`` forward with a conditional UPDATE
    (see :mod:`pregonero.core.clock`), so however many workers run, each due run is
    enqueued once. The task result row named by ``last_task_id`` tells how it went.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    last_task_id = models.CharField(_("last task result"), max_length=64, blank=True)
    last_worker = models.CharField(_("last enqueued by"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name
