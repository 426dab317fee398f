"""The public holidays of an organisation's territory, for the calendar.

National and regional holidays come from the ``holidays`` package: Spain, with the
autonomous community taken from the organisation's ISO 3166-2 region (``ES-VC`` -> ``VC``).
Local holidays are the :class:`~pregonero.agenda.models.LocalHoliday` rows of the
organisation and of every organisation above it (a council's day off is its towns' too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays as holiday_tables
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import Organisation
from pregonero.agenda.models import LocalHoliday

COUNTRY = "ES"
NATIONAL, REGIONAL, LOCAL = "national", "regional", "local"
SCOPE_LABELS = {NATIONAL: _("National holiday"), REGIONAL: _("Regional holiday"), LOCAL: _("Local holiday")}
# Languages the package names Spanish holidays in; the others read the Spanish names.
_PACKAGE_LANGUAGES = {"es": "es", "ca": "ca", "en": "en_US"}


@dataclass(frozen=True, slots=True)
class Holiday:
    date: date
    name: str
    scope: str
    # For local holidays: the organisation that declared it (maybe one above this one).
    declared_by: str = ""

    @property
    def scope_label(self) -> str:
        return str(SCOPE_LABELS[self.scope])


def subdivision_of(region: str) -> str | None:
    """The package's subdivision code for an ISO 3166-2 region, or None if it has none."""
    country, _sep, code = (region or "").upper().partition("-")
    if country != COUNTRY or code not in holiday_tables.country_holidays(COUNTRY).subdivisions:
        return None
    return code


def _package_language() -> str:
    return _PACKAGE_LANGUAGES.get((translation.get_language() or "es").split("-")[0], "es")


def territory_holidays(region: str, start: date, end: date) -> list[Holiday]:
    """National and regional holidays between ``start`` and ``end`` (inclusive), by date.

    A day that is a holiday nationally is national even if the region repeats it.
    """
    years = range(start.year, end.year + 1)
    language = _package_language()
    national = holiday_tables.country_holidays(COUNTRY, years=years, language=language)
    found = [Holiday(day, name, NATIONAL) for day, name in national.items() if start <= day <= end]
    subdivision = subdivision_of(region)
    if subdivision:
        regional = holiday_tables.country_holidays(
            COUNTRY, subdiv=subdivision, years=years, language=language
        )
        found += [
            Holiday(day, name, REGIONAL)
            for day, name in regional.items()
            if start <= day <= end and day not in national
        ]
    return sorted(found, key=lambda holiday: (holiday.date, holiday.scope))


def local_holidays_seen_by(organisation: Organisation):
    """The local holidays shown to ``organisation``: its own and those of the organisations above."""
    chain = [*organisation.ancestor_ids(), organisation.pk]
    return LocalHoliday.objects.filter(organisation_id__in=chain).select_related("organisation")


def holidays_between(organisation: Organisation, start: date, end: date) -> list[Holiday]:
    """Every holiday of the organisation's territory between ``start`` and ``end`` (inclusive)."""
    local = [
        Holiday(row.date, row.name, LOCAL, declared_by=row.organisation.name)
        for row in local_holidays_seen_by(organisation).filter(date__gte=start, date__lte=end)
    ]
    return sorted(
        territory_holidays(organisation.region, start, end) + local,
        key=lambda holiday: (holiday.date, holiday.scope),
    )
