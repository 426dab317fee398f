"""Profiles: starting points for an organisation's rule settings, by administration.

A profile names some fields of :class:`pregonero.checks.model.RuleSettings` (word lists mostly);
applying it keeps the organisation's other fields (its own contacts, for one) and saves a new
version. The lists are short on purpose: regional acronyms people know without expansion, party
names and acronyms with seats in that parliament at the time of writing, and self-praise phrasings
in the region's language that the built-in lexicon does not already cover. Party lists age: an
admin should review them before each election.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Parties present across Spain; regional profiles add theirs.
_NATIONAL_PARTIES = ("PSOE", "PP", "Partido Popular", "Vox", "Sumar", "Podemos")


@dataclass(frozen=True)
class Profile:
    slug: str
    name: str
    summary: Promise
    values: dict[str, Any] = field(default_factory=dict)


PROFILES: tuple[Profile, ...] = (
    Profile(
        "comunitat-valenciana",
        "Comunitat Valenciana",
        _(
            "Valencian acronyms, parties in Les Corts and Valencian self-praise phrasings; "
            "Ley 12/2018 of institutional advertising applies on top of Ley 29/2005."
        ),
        {
            "acronym_whitelist": ["GVA", "FGV", "IVAJ", "LABORA", "AVI", "AVL"],
            "party_terms": [*_NATIONAL_PARTIES, "PSPV", "PSPV-PSOE", "Compromís", "Coalició Compromís"],
            "achievement_phrases": [
                "el Consell ha complit",
                "la Generalitat ha complit",
                "gràcies a l'acció del Consell",
            ],
        },
    ),
    Profile(
        "catalunya",
        "Catalunya",
        _(
            "Catalan acronyms, parties in the Parlament and Catalan self-praise phrasings, following the "
            "Generalitat's style guide for social networks."
        ),
        {
            "acronym_whitelist": ["CatSalut", "ICS", "SOC", "AOC", "ATC", "SEM", "FGC", "TMB", "AMB"],
            "party_terms": [*_NATIONAL_PARTIES, "PSC", "ERC", "Junts", "CUP", "Comuns", "Aliança Catalana"],
            "achievement_phrases": ["hem complert", "el Govern ha complert", "gràcies a l'acció del Govern"],
        },
    ),
    Profile(
        "galicia",
        "Galicia",
        _("Galician acronyms, parties in the Parlamento de Galicia and Galician self-praise phrasings."),
        {
            "acronym_whitelist": ["SERGAS", "CIXUG", "CRTVG", "TVG", "AGADER"],
            "party_terms": [
                *_NATIONAL_PARTIES,
                "PPdeG",
                "BNG",
                "PSdeG",
                "PSdeG-PSOE",
                "Democracia Ourensana",
            ],
            "achievement_phrases": ["a Xunta cumpriu", "grazas á acción da Xunta"],
        },
    ),
    Profile(
        "euskadi",
        "Euskadi",
        _("Basque acronyms, parties in the Basque Parliament and Basque self-praise phrasings."),
        {
            "acronym_whitelist": ["EJ-GV", "EITB", "BFA", "DFG", "DFA", "HABE"],
            "party_terms": [*_NATIONAL_PARTIES, "PNV", "EAJ-PNV", "EH Bildu", "Bildu", "PSE-EE"],
            "achievement_phrases": ["gure kudeaketari esker", "Jaurlaritzaren lanari esker", "bete dugu"],
        },
    ),
    Profile(
        "age",
        "Administración General del Estado",
        _(
            "State acronyms and national parties; Spanish as the common language, co-official languages "
            "where the body's language policy asks for them."
        ),
        {
            "acronym_whitelist": ["AEAT", "SEPE", "INSS", "TGSS", "DGT", "AEMET", "CNMC", "INE", "MUFACE"],
            "party_terms": [
                *_NATIONAL_PARTIES,
                "Junts",
                "ERC",
                "PNV",
                "EH Bildu",
                "BNG",
                "Coalición Canaria",
            ],
            "achievement_phrases": ["gracias al Gobierno de España", "el Gobierno ha cumplido"],
        },
    ),
)

BY_SLUG: dict[str, Profile] = {profile.slug: profile for profile in PROFILES}
