"""The database side of the checks: elections, versioned rule settings, ELEC-4 reviews and
ELEC-6 removal orders.

The pure engine (:mod:`pregonero.checks`) never reads these tables; :mod:`.context` turns them
into its plain values.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.checks import elections as law
from pregonero.checks.model import ElectionPeriod

MUNICIPALITY_CODE = re.compile(r"^\d{5}$")


class ElectionKind(models.TextChoices):
    """The kinds :data:`pregonero.checks.model.ElectionKind` knows, with their names."""

    GENERAL = "general", _("General (Cortes Generales)")
    EUROPEAN = "european", _("European Parliament")
    REGIONAL = "regional", _("Regional parliament")
    LOCAL = "local", _("Local")
    REFERENDUM = "referendum", _("Referendum")


class Election(models.Model):
    """An election as an admin entered it; it binds the organisation that entered it and every
    organisation below, where its territory covers them (see docs/admin.md "Elections").

    ``opens_on`` and ``closes_on`` (call day and election day) are derived on save, so the
    clock can find the periods opening today with one indexed query.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="elections",
        verbose_name=_("entered by"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ElectionKind.choices)
    region = models.CharField(
        _("autonomous community"),
        max_length=6,
        blank=True,
        help_text=_("ISO 3166-2 code, e.g. ES-VC. Empty: the whole of Spain."),
    )
    municipalities = models.JSONField(
        _("municipalities"),
        default=list,
        blank=True,
        help_text=_("INE codes of the towns of a partial or repeated local election."),
    )
    call_date = models.DateField(_("call date"), null=True, blank=True)
    election_date = models.DateField(_("election date"), null=True, blank=True)
    opens_on = models.DateField(editable=False)
    closes_on = models.DateField(editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opens_on", "name", "pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        indexes = [models.Index(fields=["opens_on", "closes_on"], name="election_period")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        windows = self.windows
        self.opens_on, self.closes_on = windows.call, windows.election_day
        super().save(*args, **kwargs)

    def _days_apart(self) -> int:
        return (self.election_date - self.call_date).days

    def as_period(self) -> ElectionPeriod:
        return ElectionPeriod(
            name=self.name,
            kind=self.kind,
            call_date=self.call_date,
            election_date=self.election_date,
            region=self.region or None,
            municipalities=tuple(self.municipalities),
        )

    @property
    def windows(self) -> law.Windows:
        return law.windows(self.as_period())

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.call_date is None and self.election_date is None:
            errors["call_date"] = [_("Give the call date, the election date or both.")]
        elif self.call_date and self.election_date and self._days_apart() != law.CALL_TO_VOTE_DAYS:
            errors["election_date"] = [
                _("The vote falls on day %(days)d after the call (LOREG art. 42), not on day %(given)d.")
                % {"days": law.CALL_TO_VOTE_DAYS, "given": self._days_apart()}
            ]
        bad = [code for code in self.municipalities if not MUNICIPALITY_CODE.match(str(code))]
        if bad:
            errors["municipalities"] = [
                _("Municipality codes have five digits (INE): %(codes)s.")
                % {"codes": ", ".join(map(str, bad))}
            ]
        if self.kind == ElectionKind.REGIONAL and not self.region:
            errors["region"] = [_("A regional election needs its autonomous community.")]
        if self.kind in (ElectionKind.GENERAL, ElectionKind.EUROPEAN) and (
            self.region or self.municipalities
        ):
            errors["region"] = [
                _("General and European elections cover the whole of Spain: leave the territory empty.")
            ]
        if self.municipalities and self.kind != ElectionKind.LOCAL:
            errors.setdefault("municipalities", []).append(
                _("Only a local election is limited to some towns.")
            )
        if errors:
            raise ValidationError(errors)


class ImmutableQuerySet(models.QuerySet):
    """Versions are history: they are added, never changed or removed one by one."""

    def update(self, **kwargs):
        raise TypeError("Rule settings versions are immutable; save a new version.")


class RuleSettingsVersion(models.Model):
    """One saved state of an organisation's rule settings; the latest is the one in force.

    Field names and meanings are those of :class:`pregonero.checks.model.RuleSettings`.
    ``changes`` is ``{field: [before, after]}`` against the previous version (or the settings
    inherited or the defaults for the first one), kept for the history screen.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="rule_settings_versions"
    )
    number = models.PositiveIntegerField()
    disabled = models.JSONField(default=list, blank=True)
    severity = models.JSONField(default=dict, blank=True)
    party_terms = models.JSONField(default=list, blank=True)
    achievement_phrases = models.JSONField(default=list, blank=True)
    acronym_whitelist = models.JSONField(default=list, blank=True)
    own_contacts = models.JSONField(default=list, blank=True)
    max_hashtags = models.PositiveSmallIntegerField(default=3)
    max_emoji = models.PositiveSmallIntegerField(default=5)
    readability_floor = models.FloatField(default=55.0)
    language_confidence = models.FloatField(default=0.85)
    profile = models.CharField(max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="rule_settings_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Rule settings versions are immutable; save a new version.")
        super().save(*args, **kwargs)


class ElectionFreeze(models.Model):
    """The opening of one election period, processed for one organisation (ELEC-4).

    Its uniqueness makes the freeze idempotent: whoever inserts the row freezes the queue;
    a second run, or a run racing it, finds the row and does nothing. ``opens_on`` is part of
    the key, so a call date moved later freezes again when the new period opens.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="freezes")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    opens_on = models.DateField()
    frozen_at = models.DateTimeField(default=timezone.now)
    held_posts = models.PositiveIntegerField(default=0)
    flagged_posts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "organisation", "opens_on"], name="one_freeze_per_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.organisation} · {self.opens_on}"


class ReviewReason(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled inside the period")
    PUBLISHED = "published", _("Published achievement post")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    RELEASED = "released", _("Released to the queue")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    KEPT = "kept", _("Kept online, justified")
    REMOVED = "removed", _("Removed from the networks")
    LIFTED = "lifted", _("Election deleted")


class ElectionReviewQuerySet(models.QuerySet):
    def holding(self) -> models.QuerySet:
        """Ids of the posts whose publications stay held until an approver decides."""
        return self.filter(status=ReviewStatus.PENDING, reason=ReviewReason.SCHEDULED).values("post_id")


class ElectionReview(models.Model):
    """A post an approver must look at because an election period opened (ELEC-4).

    A scheduled post's publications are held (state PAUSED) while its review is pending;
    ``publications`` lists those the freeze held. A published post is only listed.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    election_name = models.CharField(max_length=200)
    post = models.ForeignKey("publishing.Post", on_delete=models.CASCADE, related_name="election_reviews")
    reason = models.CharField(max_length=12, choices=ReviewReason.choices)
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    publications = models.JSONField(default=list, blank=True)
    # For published posts: what the checks found, as [{"rule", "message", "evidence"}].
    findings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ElectionReviewQuerySet.as_manager()

    class Meta:
        ordering = ["status", "created_at", "pk"]
        constraints = [
            # A post is held for review once at a time, whatever number of periods open.
            models.UniqueConstraint(
                fields=["post", "reason"],
                condition=Q(status="pending"),
                name="one_pending_election_review_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.election_name} · {self.status}"


class RemovalOrder(models.Model):
    """An electoral board's order to take content down (ELEC-6), with its 24-hour clock.

    ``deadline`` is derived from ``received_at`` on save
    (:func:`pregonero.checks.elections.removal_deadline`).
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    board = models.CharField(_("electoral board"), max_length=200)
    reference = models.CharField(_("order reference"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received at"))
    deadline = models.DateTimeField(_("deadline"), editable=False)
    post = models.ForeignKey(
        "publishing.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="removal_orders",
        verbose_name=_("post"),
    )
    content = models.TextField(_("content concerned"), blank=True)
    compliance_note = models.TextField(_("compliance note"), blank=True)
    complied_at = models.DateTimeField(_("complied at"), null=True, blank=True)
    complied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("removal order")
        verbose_name_plural = _("removal orders")

    def __str__(self) -> str:
        return f"{self.board} {self.reference}".strip()

    def save(self, *args, **kwargs):
        self.deadline = law.removal_deadline(self.received_at)
        super().save(*args, **kwargs)

    @property
    def complied_late(self) -> bool:
        return self.complied_at is not None and self.complied_at > self.deadline


def evidence_path(instance: RemovalEvidence, filename: str) -> str:
    return f"removal-orders/{instance.order.organisation_id}/{uuid.uuid4().hex}/{filename}"


class RemovalEvidence(models.Model):
    """One file of a removal order's evidence pack: the order itself, screenshots before and after."""

    order = models.ForeignKey(RemovalOrder, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path)
    description = models.CharField(_("what it shows"), max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
