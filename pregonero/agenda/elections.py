"""Election windows as bands on the calendar (RULES.md ELEC-1).

The compliance app knows which elections bind an organisation and their windows; this module
only cuts each window into the phases a person plans around: pre-campaign, campaign,
reflection day and election day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import Organisation
from pregonero.checks.elections import Windows
from pregonero.compliance.elections import election_windows_between

PHASE_LABELS = {
    "pre_campaign": _("Pre-campaign"),
    "campaign": _("Election campaign"),
    "reflection_day": _("Reflection day"),
    "election_day": _("Election day"),
}


@dataclass(frozen=True, slots=True)
class ElectionBand:
    """One phase of one election: its days, inclusive."""

    election: str
    phase: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self.phase])

    def days(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range((self.end - self.start).days + 1)]


def bands_of(election: str, windows: Windows) -> list[ElectionBand]:
    """The four phases of an election's windows, in order."""
    return [
        ElectionBand(election, "pre_campaign", windows.call, windows.campaign_start - timedelta(days=1)),
        ElectionBand(election, "campaign", windows.campaign_start, windows.campaign_end),
        ElectionBand(election, "reflection_day", windows.reflection_day, windows.reflection_day),
        ElectionBand(election, "election_day", windows.election_day, windows.election_day),
    ]


def election_bands(organisation: Organisation, start: date, end: date) -> list[ElectionBand]:
    """The phases of the elections binding ``organisation`` that touch ``[start, end]``."""
    return [
        band
        for found in election_windows_between(organisation, start, end)
        for band in bands_of(found.period.name, found.windows)
        if band.end >= start and band.start <= end
    ]
