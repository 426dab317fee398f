"""Election periods from a call date or an election date (RULES.md ELEC-1), pure date arithmetic.

LOREG (BOE-A-1985-11672), counting days after the day the call is published in the official
bulletin (the decree is in force that day, art. 42), as day 0:

- art. 42.1-3: the vote is on day 54 after the call; so a call date is the election date
  minus 54 days, also for local elections (decree issued 55 days before the fourth Sunday of
  May, published the next day).
- art. 51: the campaign starts on day 38, lasts 15 days (days 38-52) and ends at 00:00 of the
  day before the vote; so day 53 is the reflection day.
- art. 50.2-3 and Ley 29/2005 art. 10: the period runs from the call until election day
  inclusive. Days 0-37 are called the pre-campaign here.

Days are civil days in the body's local time: Europe/Madrid, or Atlantic/Canary for bodies in
the Canary Islands (ES-CN), where the campaign ends an hour later in absolute time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pregonero.checks.model import ElectionPeriod, Territory

__all__ = [
    "CALL_TO_VOTE_DAYS",
    "CAMPAIGN_DAYS",
    "CAMPAIGN_START_DAY",
    "InForce",
    "Phase",
    "Windows",
    "applies_to",
    "local_date",
    "periods_in_force",
    "phase",
    "removal_deadline",
    "windows",
]

CALL_TO_VOTE_DAYS = 54  # art. 42
CAMPAIGN_START_DAY = 38  # art. 51.1
CAMPAIGN_DAYS = 15  # art. 51.2
REMOVAL_HOURS = 24  # ELEC-6: electoral boards usually order removal within 24 hours

Phase = Literal["pre_campaign", "campaign", "reflection_day", "election_day"]
_MADRID = ZoneInfo("Europe/Madrid")
_CANARY = ZoneInfo("Atlantic/Canary")


@dataclass(frozen=True, slots=True)
class Windows:
    """The civil days of one election, all inclusive."""

    call: date
    campaign_start: date
    campaign_end: date
    reflection_day: date
    election_day: date


@dataclass(frozen=True, slots=True)
class InForce:
    election: ElectionPeriod
    windows: Windows
    phase: Phase


def windows(election: ElectionPeriod) -> Windows:
    """The windows of ``election`` from its call date, or else its election date.

    Raises ValueError when neither date is given, or when both are and disagree with art. 42.
    """
    call, vote = election.call_date, election.election_date
    if call is None and vote is None:
        raise ValueError(f"Election {election.name!r} needs a call date or an election date.")
    if call is None:
        call = vote - timedelta(days=CALL_TO_VOTE_DAYS)
    elif vote is None:
        vote = call + timedelta(days=CALL_TO_VOTE_DAYS)
    elif (vote - call).days != CALL_TO_VOTE_DAYS:
        raise ValueError(
            f"Election {election.name!r}: the vote must fall on day {CALL_TO_VOTE_DAYS} after the call "
            f"(LOREG art. 42), not day {(vote - call).days}."
        )
    start = call + timedelta(days=CAMPAIGN_START_DAY)
    return Windows(
        call=call,
        campaign_start=start,
        campaign_end=start + timedelta(days=CAMPAIGN_DAYS - 1),
        reflection_day=vote - timedelta(days=1),
        election_day=vote,
    )


def phase(w: Windows, day: date) -> Phase | None:
    """Which part of the period ``day`` falls in, or None outside it."""
    if day < w.call or day > w.election_day:
        return None
    if day == w.election_day:
        return "election_day"
    if day == w.reflection_day:
        return "reflection_day"
    if day >= w.campaign_start:
        return "campaign"
    return "pre_campaign"


def applies_to(election: ElectionPeriod, territory: Territory) -> bool:
    """Whether ``election`` binds a body in ``territory``.

    Art. 50 binds every public power in the election's territory, not only the one that called
    it. A national election (no region, no municipalities; general, European and the ordinary
    local elections held in every town) binds every body. A regional one binds the bodies in that
    region. A partial local election binds the bodies of those towns and of their provinces
    (the INE municipality code starts with the province code) and region.
    """
    if election.municipalities:
        if territory.municipality:
            return territory.municipality in election.municipalities
        if territory.province:
            return any(code.startswith(territory.province) for code in election.municipalities)
        return election.region is not None and election.region == territory.region
    if election.region:
        return election.region == territory.region
    return True


def local_date(when: datetime, territory: Territory) -> date:
    """The civil day of the aware datetime ``when`` where the body is."""
    if when.tzinfo is None:
        raise ValueError("Election checks need an aware datetime.")
    zone = _CANARY if territory.region == "ES-CN" else _MADRID
    return when.astimezone(zone).date()


def periods_in_force(
    elections: Iterable[ElectionPeriod], when: datetime, territory: Territory
) -> list[InForce]:
    """Every election whose period contains ``when`` and binds ``territory``, with its phase.

    Overlapping elections (local, regional and European on one day, or a regional call inside a
    general campaign) each appear; callers apply the strictest phase.
    """
    day = local_date(when, territory)
    found = []
    for election in elections:
        if not applies_to(election, territory):
            continue
        w = windows(election)
        current = phase(w, day)
        if current is not None:
            found.append(InForce(election, w, current))
    return found


def removal_deadline(order_received_at: datetime) -> datetime:
    """When an electoral board's removal order must be complied with (ELEC-6)."""
    return order_received_at + timedelta(hours=REMOVAL_HOURS)
