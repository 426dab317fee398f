"""What the editorial calendar shows, and the local holidays an admin keeps.

The calendar is a read of posts that have a time (scheduled, published, or a draft with a
planned time), the holidays of the territory and, during elections, the election windows;
moving a post is :func:`pregonero.publishing.scheduling.reschedule`, so the publishing rules,
the days clocks change, approval and the audit stay in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.agenda.elections import ElectionBand, election_bands
from pregonero.agenda.models import LocalHoliday
from pregonero.agenda.periods import Period
from pregonero.agenda.public_days import Holiday, holidays_between
from pregonero.audit import services as audit
from pregonero.publishing import services as publishing
from pregonero.publishing.models import Post, PostState
from pregonero.publishing.rules import require, role_of
from pregonero.publishing.scheduling import PLANNABLE_STATES

MOVABLE_STATES = (*PLANNABLE_STATES, PostState.SCHEDULED)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a local day begins (its first existing minute where midnight is skipped)."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def day_bounds(period: Period, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants from the first day of ``period`` to the end of its last day."""
    following = date.fromordinal(period.end.toordinal() + 1)
    return start_of_day(period.start, zone), start_of_day(following, zone)


def posts_between(organisation: Organisation, start: datetime, end: datetime, filters: dict) -> list[Post]:
    """The organisation's posts timed in ``[start, end)`` that match ``filters``, by time.

    Withdrawn posts only when asked for by state. Tags are matched here rather than in SQL
    because SQLite cannot look inside JSON lists.
    """
    condition = publishing.filter_posts(
        organisation,
        state=filters.get("state"),
        department=filters.get("department"),
        channel=filters.get("channel"),
        language=filters.get("language"),
    )
    posts = Post.objects.filter(condition, scheduled_at__gte=start, scheduled_at__lt=end)
    if not filters.get("state"):
        posts = posts.exclude(state=PostState.WITHDRAWN)
    posts = (
        posts.distinct()
        .select_related("department", "organisation")
        .prefetch_related("channels", "texts")
        .order_by("scheduled_at", "pk")
    )
    tag = filters.get("tag")
    return [post for post in posts if not tag or tag in post.tags]


def campaign_tags(organisation: Organisation) -> list[str]:
    """Every campaign tag used on a post of the organisation that has a time, sorted."""
    lists = Post.objects.filter(organisation=organisation, scheduled_at__isnull=False).values_list(
        "tags", flat=True
    )
    return sorted({tag for tags in lists for tag in tags or ()}, key=str.casefold)


@dataclass(slots=True)
class Entry:
    """A post on the calendar, at its local time; ``movable`` if the viewer may move it."""

    post: Post
    local: datetime
    movable: bool

    @property
    def languages(self) -> list[str]:
        return sorted(text.language for text in self.post.texts.all())


@dataclass(slots=True)
class Day:
    date: date
    in_focus: bool
    is_today: bool
    holidays: list[Holiday] = field(default_factory=list)
    elections: list[ElectionBand] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def may_move(role: Role) -> bool:
    return role.at_least(Role.EDITOR)


def calendar_days(organisation: Organisation, period: Period, filters: dict, role: Role) -> list[Day]:
    """Every day of ``period`` with its holidays, election windows and posts, in local time."""
    zone = ZoneInfo(organisation.time_zone)
    today = timezone.now().astimezone(zone).date()
    days = {day: Day(date=day, in_focus=period.in_focus(day), is_today=day == today) for day in period.days()}
    for holiday in holidays_between(organisation, period.start, period.end):
        days[holiday.date].holidays.append(holiday)
    for band in election_bands(organisation, period.start, period.end):
        for day in band.days():
            if day in days:
                days[day].elections.append(band)
    mover = may_move(role)
    start, end = day_bounds(period, zone)
    for post in posts_between(organisation, start, end, filters):
        local = post.scheduled_at.astimezone(zone)
        movable = mover and post.state in MOVABLE_STATES and local > timezone.now()
        days[local.date()].entries.append(Entry(post, local, movable))
    return list(days.values())


def _require_admin(actor: Person, organisation: Organisation) -> None:
    require(role_of(actor, organisation) == Role.ADMIN)


def _save_holiday(holiday: LocalHoliday) -> None:
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError as error:
        raise ValidationError(
            {"date": _("This organisation already has a local holiday on that day.")}
        ) from error


@transaction.atomic
def add_local_holiday(
    organisation: Organisation, *, actor: Person, date: date, name: str, request=None
) -> LocalHoliday:
    """Add a local holiday (admins only); the organisations below see it too."""
    _require_admin(actor, organisation)
    holiday = LocalHoliday(organisation=organisation, date=date, name=name.strip(), created_by=actor)
    _save_holiday(holiday)
    audit.record(
        "agenda.local_holiday_added",
        actor=actor,
        organisation=organisation,
        obj=holiday,
        changes=audit.diff({}, {"date": holiday.date, "name": holiday.name}),
        request=request,
    )
    return holiday


@transaction.atomic
def change_local_holiday(
    holiday: LocalHoliday, *, actor: Person, date: date, name: str, request=None
) -> LocalHoliday:
    _require_admin(actor, holiday.organisation)
    before = {"date": holiday.date, "name": holiday.name}
    holiday.date, holiday.name = date, name.strip()
    _save_holiday(holiday)
    changes = audit.diff(before, {"date": holiday.date, "name": holiday.name})
    if changes:
        audit.record(
            "agenda.local_holiday_changed",
            actor=actor,
            organisation=holiday.organisation,
            obj=holiday,
            changes=changes,
            request=request,
        )
    return holiday


@transaction.atomic
def remove_local_holiday(holiday: LocalHoliday, *, actor: Person, request=None) -> None:
    _require_admin(actor, holiday.organisation)
    audit.record(
        "agenda.local_holiday_removed",
        actor=actor,
        organisation=holiday.organisation,
        obj=holiday,
        changes=audit.diff({"date": holiday.date, "name": holiday.name}, {}),
        request=request,
    )
    holiday.delete()
