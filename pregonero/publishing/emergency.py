"""The emergency switch (CRISIS-1): pause and resume publishing of an organisation and those below.

Whether an organisation is paused is :func:`.rules.is_paused`; publications scheduled
while it is are created held (:mod:`.scheduling`). Emergency posts keep going out.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.compliance.models import ElectionReview
from pregonero.publishing.models import (
    DUE_STATES,
    Category,
    Post,
    Publication,
    PublicationState,
    PublishingPolicy,
)
from pregonero.publishing.rules import policy_for, require, role_of
from pregonero.publishing.scheduling import local_to_utc


def _subtree_ids(organisation: Organisation) -> list[int]:
    return list(organisation.descendants().values_list("pk", flat=True))


def paused_publications(organisation: Organisation):
    """Publications held by the emergency switch in this organisation and those below it.

    Those whose post waits for its election review (ELEC-4, :mod:`pregonero.compliance.freeze`)
    are not the switch's: they stay held when it is released.
    """
    return (
        Publication.objects.filter(
            organisation_id__in=_subtree_ids(organisation), state=PublicationState.PAUSED
        )
        .exclude(post_id__in=ElectionReview.objects.holding())
        .select_related("post", "channel", "organisation", "variant")
        .order_by("due_at", "pk")
    )


@transaction.atomic
def pause_organisation(
    organisation: Organisation, actor: Person, reason: str, request=None
) -> list[Publication]:
    """Hold every waiting publication of non-emergency posts here and below; return what was held.

    Publications scheduled while the switch is on are created held (:mod:`.scheduling`).
    Emergency posts keep going out.
    """
    require(role_of(actor, organisation) == Role.ADMIN)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why publishing is paused; it is recorded.")})
    policy = PublishingPolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
    if policy.paused_at is not None:
        raise ValidationError(_("Publishing is already paused."))
    policy.paused_at, policy.paused_by, policy.pause_reason = timezone.now(), actor, reason.strip()
    policy.save(update_fields=["paused_at", "paused_by", "pause_reason"])
    waiting = Publication.objects.filter(
        organisation_id__in=_subtree_ids(organisation), state__in=DUE_STATES
    ).exclude(post__category=Category.EMERGENCY)
    ids = list(waiting.values_list("pk", flat=True))
    # Conditional on the state: one a worker claimed meanwhile is sending, not paused.
    Publication.objects.filter(pk__in=ids, state__in=DUE_STATES).update(state=PublicationState.PAUSED)
    paused = list(paused_publications(organisation).filter(pk__in=ids))
    _record_emergency("publishing.paused", organisation, actor, paused, request, reason=policy.pause_reason)
    return paused


RESCHEDULE_KEEP, RESCHEDULE_SHIFT, RESCHEDULE_NEW = "keep", "shift", "new"


@transaction.atomic
def resume_organisation(
    organisation: Organisation,
    actor: Person,
    reschedule: str = RESCHEDULE_KEEP,
    new_time: datetime | None = None,
    fold: int | None = None,
    request=None,
) -> list[Publication]:
    """Release what the switch held, here and below, and return it.

    ``reschedule``: "keep" the times (those already past go out at once), "shift" every
    time by how long the pause lasted, or a "new" local time ``new_time`` for all. An
    organisation below that pressed its own switch stays paused, and while one above has
    its switch on, nothing is released here.
    """
    require(role_of(actor, organisation) == Role.ADMIN)
    policy = PublishingPolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
    if policy.paused_at is None:
        raise ValidationError(_("Publishing is not paused."))
    now = timezone.now()
    due_at = None
    if reschedule == RESCHEDULE_NEW:
        if new_time is None:
            raise ValidationError({"new_time": _("Give the new time.")})
        due_at = local_to_utc(organisation, new_time, fold)
        if due_at <= now:
            raise ValidationError({"new_time": _("That time has already passed.")})
    elif reschedule not in (RESCHEDULE_KEEP, RESCHEDULE_SHIFT):
        raise ValidationError(_("Choose how to reschedule."))
    held = paused_publications(organisation)
    still_paused = PublishingPolicy.objects.filter(
        organisation__path__startswith=organisation.path, paused_at__isnull=False
    ).exclude(organisation=organisation)
    for other in still_paused.select_related("organisation"):
        held = held.exclude(organisation__path__startswith=other.organisation.path)
    # While an organisation above keeps its own switch on, turning this one off releases
    # nothing: the switch above still holds everything below it.
    paused_above = PublishingPolicy.objects.filter(
        organisation_id__in=organisation.ancestor_ids(), paused_at__isnull=False
    ).exists()
    held = [] if paused_above else list(held)
    ids = [publication.pk for publication in held]
    released = Publication.objects.filter(pk__in=ids, state=PublicationState.PAUSED)
    if reschedule == RESCHEDULE_SHIFT:
        delta = now - policy.paused_at
        released.update(state=PublicationState.QUEUED, due_at=F("due_at") + delta)
        Post.objects.filter(pk__in={p.post_id for p in held}, scheduled_at__isnull=False).update(
            scheduled_at=F("scheduled_at") + delta
        )
    elif reschedule == RESCHEDULE_NEW:
        released.update(state=PublicationState.QUEUED, due_at=due_at)
        Post.objects.filter(pk__in={p.post_id for p in held}).update(scheduled_at=due_at)
    else:
        released.update(state=PublicationState.QUEUED)
    paused_at = policy.paused_at
    policy.paused_at, policy.paused_by, policy.pause_reason = None, None, ""
    policy.save(update_fields=["paused_at", "paused_by", "pause_reason"])
    resumed = list(Publication.objects.filter(pk__in=ids).select_related("post", "channel", "organisation"))
    _record_emergency(
        "publishing.resumed",
        organisation,
        actor,
        resumed,
        request,
        reschedule=reschedule,
        paused_since=paused_at,
    )
    return resumed


def _record_emergency(
    action: str, organisation: Organisation, actor: Person, publications, request, **details
):
    """One entry in the organisation's chain and one in each organisation below that was affected."""
    audit.record(
        action,
        actor=actor,
        organisation=organisation,
        obj=policy_for(organisation),
        object_repr=organisation.name,
        details={**details, "publications": [p.pk for p in publications]},
        request=request,
    )
    affected = {p.organisation for p in publications if p.organisation_id != organisation.pk}
    for other in sorted(affected, key=lambda item: item.pk):
        audit.record(
            action,
            actor=actor,
            organisation=other,
            obj=policy_for(other),
            object_repr=other.name,
            details={
                **details,
                "by_organisation": organisation.name,
                "publications": [p.pk for p in publications if p.organisation_id == other.pk],
            },
            request=request,
        )
