"""What the pure checks engine needs to know about an organisation, read from the database.

:func:`check_context` is the one door between the ORM and :mod:`pregonero.checks`: the
composer, submission and scheduling call it and pass its fields into ``CheckInput``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pregonero.checks.model import CalendarFacts, LanguagePolicy, RuleSettings, Territory


@dataclass(frozen=True, slots=True)
class CheckContext:
    settings: RuleSettings
    calendar: CalendarFacts
    territory: Territory
    policy: LanguagePolicy


def territory_of(organisation) -> Territory:
    return Territory(
        region=organisation.region or None,
        province=organisation.province_code or None,
        municipality=organisation.municipality_code or None,
    )


def language_policy_of(organisation) -> LanguagePolicy:
    required = tuple(organisation.official_languages or (organisation.default_language,))
    return LanguagePolicy(required=required, first=organisation.default_language)


def check_context(organisation) -> CheckContext:
    """The rule settings, calendar facts, territory and language policy of ``organisation``.

    Settings: the version in force (its own, else inherited, else the defaults; see
    :mod:`.rulesettings`). Calendar: the elections binding the organisation that are not over
    (see :mod:`.elections`); periods already past cannot concern a post about to go out.
    """
    # Imported here: .elections reads territory_of from this module.
    from pregonero.compliance import elections, rulesettings

    binding = elections.elections_binding(
        organisation, ending_on_or_after=elections.recent_cutoff(organisation)
    )
    return CheckContext(
        settings=rulesettings.as_rule_settings(rulesettings.in_force(organisation).values),
        calendar=CalendarFacts(elections=tuple(election.as_period() for election in binding)),
        territory=territory_of(organisation),
        policy=language_policy_of(organisation),
    )
