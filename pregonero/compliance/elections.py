"""Elections: entering them, which ones bind an organisation, and their windows for the calendar.

Visibility (docs/admin.md "Elections"): an election binds the organisation that entered it and the
organisations below it, wherever its territory covers them (:func:`pregonero.checks.elections.
applies_to`). Elections entered in another tree never reach an organisation: one town's admin must
not be able to freeze another town's queue. A council above several towns enters a regional or
general election once for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.checks import elections as law
from pregonero.checks.model import ElectionPeriod
from pregonero.compliance.context import territory_of
from pregonero.compliance.models import Election

ELECTION_FIELDS = ["name", "kind", "region", "municipalities", "call_date", "election_date"]


@dataclass(frozen=True, slots=True)
class PeriodWindows:
    """One election binding an organisation, with its derived civil days (all inclusive)."""

    election_id: int
    period: ElectionPeriod
    windows: law.Windows


def local_today(organisation: Organisation, now: datetime | None = None) -> date:
    """The organisation's civil day at ``now``: an election period opens on its call day there."""
    return (now or timezone.now()).astimezone(ZoneInfo(organisation.time_zone)).date()


def visible_elections(organisation: Organisation) -> QuerySet[Election]:
    """Elections entered by the organisation or an organisation above it, bound or not."""
    chain = [*organisation.ancestor_ids(), organisation.pk]
    return Election.objects.filter(organisation_id__in=chain).select_related("organisation")


def binds(election: Election, organisation: Organisation) -> bool:
    return law.applies_to(election.as_period(), territory_of(organisation))


def elections_binding(
    organisation: Organisation, *, ending_on_or_after: date | None = None
) -> list[Election]:
    """The elections that bind ``organisation``, optionally only those not over by that day."""
    queryset = visible_elections(organisation)
    if ending_on_or_after is not None:
        queryset = queryset.filter(closes_on__gte=ending_on_or_after)
    return [election for election in queryset if binds(election, organisation)]


def election_windows_between(
    organisation: Organisation, start_date: date, end_date: date
) -> list[PeriodWindows]:
    """Every election period binding ``organisation`` that has a day in ``start_date..end_date``
    (inclusive), with its windows, by call date: what the editorial calendar draws."""
    queryset = visible_elections(organisation).filter(opens_on__lte=end_date, closes_on__gte=start_date)
    return [
        PeriodWindows(election.pk, election.as_period(), election.windows)
        for election in queryset
        if binds(election, organisation)
    ]


def is_open(election: Election, organisation: Organisation, now: datetime | None = None) -> bool:
    """Whether the period is running on the organisation's current civil day."""
    return election.opens_on <= local_today(organisation, now) <= election.closes_on


def _require_admin(actor: Person, organisation: Organisation) -> None:
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied


def _open_now(election: Election, actor: Person, request) -> int:
    """Freeze at once the queues the new or changed election already holds open; posts held."""
    from pregonero.compliance.freeze import freeze_election  # .freeze imports this module

    return freeze_election(election, actor=actor, request=request)


@transaction.atomic
def create_election(
    organisation: Organisation, *, actor: Person, request=None, **values
) -> tuple[Election, int]:
    """Enter an election; return it and how many posts it held for review (its period may be open)."""
    _require_admin(actor, organisation)
    election = Election(organisation=organisation, created_by=actor, **values)
    election.full_clean(exclude=["created_by", "opens_on", "closes_on"])
    election.save()
    audit.record(
        "election.created",
        actor=actor,
        organisation=organisation,
        obj=election,
        changes=audit.diff({}, audit.snapshot(election, ELECTION_FIELDS)),
        details=_windows_details(election),
        request=request,
    )
    return election, _open_now(election, actor, request)


@transaction.atomic
def update_election(election: Election, *, actor: Person, request=None, **values) -> tuple[Election, int]:
    _require_admin(actor, election.organisation)
    before = audit.snapshot(election, ELECTION_FIELDS)
    for name, value in values.items():
        setattr(election, name, value)
    election.full_clean(exclude=["created_by", "opens_on", "closes_on"])
    election.updated_at = timezone.now()
    election.save()
    changes = audit.diff(before, audit.snapshot(election, ELECTION_FIELDS))
    if changes:
        audit.record(
            "election.updated",
            actor=actor,
            organisation=election.organisation,
            obj=election,
            changes=changes,
            details=_windows_details(election),
            request=request,
        )
    return election, _open_now(election, actor, request)


@transaction.atomic
def delete_election(election: Election, *, actor: Person, request=None) -> int:
    """Delete an election entered by mistake; the posts it still holds go back to the queue.

    Returns how many posts were released.
    """
    from pregonero.compliance.freeze import lift_holds_of  # .freeze imports this module

    _require_admin(actor, election.organisation)
    released = lift_holds_of(election, actor=actor, request=request)
    audit.record(
        "election.deleted",
        actor=actor,
        organisation=election.organisation,
        obj=election,
        changes=audit.diff(audit.snapshot(election, ELECTION_FIELDS), {}),
        details={"released_posts": released},
        request=request,
    )
    election.delete()
    return released


def _windows_details(election: Election) -> dict:
    w = election.windows
    return {
        "period": [w.call, w.election_day],
        "campaign": [w.campaign_start, w.campaign_end],
        "reflection_day": w.reflection_day,
    }


def recent_cutoff(organisation: Organisation, now: datetime | None = None) -> date:
    """The first day whose elections the checks still need: yesterday, for a margin across zones."""
    return local_today(organisation, now) - timedelta(days=1)
