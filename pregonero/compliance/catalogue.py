"""What each rule of the checks engine is for and where it comes from, for the settings screen.

One entry per id in :data:`pregonero.checks.engine.RULE_IDS` (a test keeps them in step), with
the severities the rule reports when nobody overrides them. The full texts are in RULES.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pregonero.checks.engine import RULE_IDS
from pregonero.checks.model import Severity


@dataclass(frozen=True)
class RuleInfo:
    rule: str
    description: Promise
    source: str
    # The severities the rule itself reports (some weigh each finding: a DNI blocks, a phone warns).
    reports: tuple[Severity, ...]


_ENTRIES = (
    RuleInfo(
        "ELEC-1",
        _("Tells when a post goes out inside an election period, with its windows."),
        "LOREG arts. 42, 50.2, 51",
        ("info",),
    ),
    RuleInfo(
        "ELEC-2",
        _("Blocks achievements, inaugurations and party slogans during an election period."),
        "LOREG art. 50.2–3; Ley 29/2005 art. 10",
        ("block",),
    ),
    RuleInfo(
        "ELEC-3",
        _("Reposts and quotes go through the same election-period gate."),
        "LOREG art. 50.2",
        ("block",),
    ),
    RuleInfo(
        "ELEC-4",
        _("Warns that a post is scheduled into a period not open yet: it will be held for review."),
        "LOREG art. 50.2",
        ("warn",),
    ),
    RuleInfo(
        "ELEC-5",
        _("On reflection day and election day, only emergency and voting information."),
        "LOREG arts. 50.1, 53",
        ("block",),
    ),
    RuleInfo(
        "NEUT-1",
        _("Language that highlights the government's achievements."),
        "Ley 29/2005 art. 4.1.a",
        ("warn",),
    ),
    RuleInfo(
        "NEUT-2",
        _("Discrediting other administrations or institutions."),
        "Ley 29/2005 art. 4.1.b",
        ("warn",),
    ),
    RuleInfo("NEUT-3", _("Discriminatory or demeaning terms."), "Ley 29/2005 art. 4.1.c", ("warn",)),
    RuleInfo(
        "NEUT-4",
        _("Party names, acronyms and slogans from this organisation's list."),
        "Ley 29/2005 art. 4.2",
        ("warn",),
    ),
    RuleInfo(
        "A11Y-1",
        _("Images need a useful text description."),
        "WCAG 2.1 1.1.1; RD 1112/2018",
        ("block", "warn"),
    ),
    RuleInfo("A11Y-2", _("Videos need captions."), "WCAG 2.1 1.2.2; RD 1112/2018", ("warn",)),
    RuleInfo("A11Y-3", _("Information only inside images."), "WCAG 2.1 1.4.5", ("warn",)),
    RuleInfo(
        "A11Y-4",
        _("Hashtags in CamelCase, few and at the end; emoji beside words, not instead."),
        "Social media style guides",
        ("warn", "info"),
    ),
    RuleInfo("A11Y-5", _("Acronyms used without their expansion."), "Plain language guides", ("warn",)),
    RuleInfo(
        "A11Y-6",
        _("Spanish texts that are hard to read (INFLESZ)."),
        "INFLESZ, Barrio-Cantalejo 2008",
        ("warn",),
    ),
    RuleInfo(
        "LANG-1",
        _("Every required language version is present."),
        "Language policy; Ley 29/2005 art. 9",
        ("block",),
    ),
    RuleInfo("LANG-2", _("Each version is written in its language."), "Language policy", ("warn",)),
    RuleInfo(
        "LANG-3",
        _("A machine translation nobody has reviewed yet."),
        "Ley 29/2005 art. 9",
        ("block",),
    ),
    RuleInfo(
        "DATA-1",
        _("Personal data: ids, phones, e-mails, IBANs, health terms."),
        "GDPR art. 5.1.c, 9; LOPDGDD",
        ("block", "warn", "info"),
    ),
    RuleInfo(
        "DATA-2",
        _("A person's name next to their full id number."),
        "LOPDGDD additional provision 7",
        ("block",),
    ),
    RuleInfo(
        "DATA-3",
        _("Media showing children without recorded consent."),
        "LOPDGDD art. 7; LO 1/1996 art. 4",
        ("block",),
    ),
    RuleInfo("LIMIT-1", _("Text length as each network counts it."), "Network limits", ("block",)),
    RuleInfo("LIMIT-2", _("Number of media a network accepts."), "Network limits", ("block",)),
    RuleInfo("LIMIT-3", _("Media size and type a network accepts."), "Network limits", ("block",)),
    RuleInfo("LIMIT-4", _("Thread length a network accepts."), "Network limits", ("block",)),
)

RULES: dict[str, RuleInfo] = {entry.rule: entry for entry in _ENTRIES}


def rules_in_engine_order() -> list[RuleInfo]:
    """Every rule the engine runs, in its order; an id missing here still shows, undescribed."""
    return [RULES.get(rule) or RuleInfo(rule, _("(no description)"), "", ()) for rule in RULE_IDS]
