"""One module per rule family; each rule is a function ``(CheckInput) -> list[Finding]``.

``RULES`` lists every rule with the ids it can report, so the engine can skip a function whose
ids are all switched off.
"""

from __future__ import annotations

from collections.abc import Callable

from pregonero.checks.model import CheckInput, Finding
from pregonero.checks.rules import accessibility, elections, languages, limits, neutrality, personal_data

Rule = Callable[[CheckInput], list[Finding]]

RULES: tuple[tuple[tuple[str, ...], Rule], ...] = (
    (("ELEC-1",), elections.period),
    (("ELEC-2",), elections.achievements_in_period),
    (("ELEC-3",), elections.reposts_in_period),
    (("ELEC-4",), elections.period_opens_before_publication),
    (("ELEC-5",), elections.reflection_and_election_day),
    (("NEUT-1",), neutrality.achievements),
    (("NEUT-2",), neutrality.discrediting),
    (("NEUT-3",), neutrality.discriminatory),
    (("NEUT-4",), neutrality.party_terms),
    (("A11Y-1",), accessibility.image_descriptions),
    (("A11Y-2",), accessibility.video_captions),
    (("A11Y-3",), accessibility.text_in_images),
    (("A11Y-4",), accessibility.hashtags_and_emoji),
    (("A11Y-5",), accessibility.acronyms),
    (("A11Y-6",), accessibility.readability),
    (("LANG-1",), languages.required_versions),
    (("LANG-2",), languages.version_language),
    (("LANG-3",), languages.machine_translations),
    (("DATA-1", "DATA-2"), personal_data.personal_data),
    (("DATA-3",), personal_data.minors_in_media),
    (("LIMIT-1", "LIMIT-2", "LIMIT-3", "LIMIT-4"), limits.network_limits),
)
