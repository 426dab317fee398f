"""NEUT: institutional neutrality all year (Ley 29/2005 art. 4), as warnings a person weighs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pregonero.checks import lexicon
from pregonero.checks.model import CheckInput, Finding
from pregonero.checks.rules._common import at, targets


def achievements(ci: CheckInput) -> list[Finding]:
    """NEUT-1 (warn): language that highlights the government's achievements."""
    message = _(
        "Highlights achievements of the government (%(words)s): institutional communication informs, "
        "it does not praise its own management."
    )
    findings = []
    for target in targets(ci):
        found = lexicon.find("ACHIEVEMENT", target.text)
        if ci.settings.achievement_phrases:
            found += lexicon.find_terms(ci.settings.achievement_phrases, target.text)
        findings += at(target, "NEUT-1", "warn", message, "Ley 29/2005 art. 4.1.a", found)
    return findings


def discrediting(ci: CheckInput) -> list[Finding]:
    """NEUT-2 (warn): blaming or belittling another administration or institution."""
    message = _("Discredits another administration or institution (%(words)s).")
    return [
        f
        for target in targets(ci)
        for f in at(
            target,
            "NEUT-2",
            "warn",
            message,
            "Ley 29/2005 art. 4.1.b",
            lexicon.find("DISCREDIT", target.text),
        )
    ]


def discriminatory(ci: CheckInput) -> list[Finding]:
    """NEUT-3 (warn): slurs and outdated terms (a short list, to keep false alarms rare)."""
    message = _("Discriminatory or demeaning term (%(words)s); use a respectful one.")
    return [
        f
        for target in targets(ci)
        for f in at(
            target,
            "NEUT-3",
            "warn",
            message,
            "Ley 29/2005 art. 4.1.c",
            lexicon.find("DISCRIMINATORY", target.text),
        )
    ]


def party_terms(ci: CheckInput) -> list[Finding]:
    """NEUT-4 (warn): a party name, acronym or slogan from the organisation's list."""
    if not ci.settings.party_terms:
        return []
    message = _("Could be confused with a political party's name or slogan (%(words)s).")
    return [
        f
        for target in targets(ci)
        for f in at(
            target,
            "NEUT-4",
            "warn",
            message,
            "Ley 29/2005 art. 4.2",
            lexicon.find_terms(ci.settings.party_terms, target.text),
        )
    ]
