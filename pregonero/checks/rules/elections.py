"""ELEC: what an election period forbids (LOREG art. 50, Ley 29/2005 art. 10)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pregonero.checks import lexicon
from pregonero.checks.elections import InForce, local_date, periods_in_force
from pregonero.checks.lexicon import Match
from pregonero.checks.model import CheckInput, Finding
from pregonero.checks.rules._common import Target, at, targets

SOURCE_PERIOD = "LOREG arts. 42, 50.2 y 51"
SOURCE_ACHIEVEMENTS = "LOREG art. 50.2; Ley 29/2005 art. 10"
SOURCE_INAUGURATION = "LOREG art. 50.3"
SOURCE_REPOST = "LOREG art. 50.2 (reposts: acuerdos de juntas electorales según prensa)"
SOURCE_QUEUE = "LOREG art. 50.2 (RULES.md ELEC-4)"
SOURCE_REFLECTION = "LOREG arts. 50.1 y 53 (inferencia de Pregonero, configurable)"

_PHASE_RANK = {"pre_campaign": 0, "campaign": 1, "reflection_day": 2, "election_day": 3}


def _in_force(ci: CheckInput) -> list[InForce]:
    if ci.when is None or not ci.calendar.elections:
        return []
    return periods_in_force(ci.calendar.elections, ci.when, ci.territory)


def _names(in_force: list[InForce]) -> str:
    return ", ".join(f"«{item.election.name}»" for item in in_force)


def _phase_label(phase: str) -> str:
    return {
        "pre_campaign": _("pre-campaign"),
        "campaign": _("campaign"),
        "reflection_day": _("reflection day"),
        "election_day": _("election day"),
    }[phase]


def period(ci: CheckInput) -> list[Finding]:
    """ELEC-1 (info): the post goes out inside an election period, with the derived windows."""
    findings = []
    for item in _in_force(ci):
        w = item.windows
        findings.append(
            Finding(
                rule="ELEC-1",
                severity="info",
                message=_(
                    "Goes out during the %(phase)s of %(name)s: period from %(call)s to %(vote)s, "
                    "campaign from %(start)s to %(end)s, reflection day %(reflection)s."
                )
                % {
                    "phase": _phase_label(item.phase),
                    "name": f"«{item.election.name}»",
                    "call": w.call.isoformat(),
                    "vote": w.election_day.isoformat(),
                    "start": w.campaign_start.isoformat(),
                    "end": w.campaign_end.isoformat(),
                    "reflection": w.reflection_day.isoformat(),
                },
                source=SOURCE_PERIOD,
            )
        )
    return findings


def forbidden_in_period(target: Target, ci: CheckInput, rule: str, names: str) -> list[Finding]:
    """Achievements, inaugurations and party expressions in one text, as ``rule`` blocks."""
    achievements = lexicon.find("ACHIEVEMENT", target.text)
    if ci.settings.achievement_phrases:
        achievements += lexicon.find_terms(ci.settings.achievement_phrases, target.text)
    values = {"names": names}
    return [
        *at(
            target,
            rule,
            "block",
            _("Alludes to achievements or results (%(words)s) during the election period of %(names)s."),
            SOURCE_ACHIEVEMENTS,
            achievements,
            **values,
        ),
        *at(
            target,
            rule,
            "block",
            _(
                "Announces an inauguration or first stone (%(words)s) during the election period of "
                "%(names)s; you may still say that a service opens, when and where."
            ),
            SOURCE_INAUGURATION,
            lexicon.find("INAUGURATION", target.text),
            **values,
        ),
        *at(
            target,
            rule,
            "block",
            _("Uses a party name or slogan (%(words)s) during the election period of %(names)s."),
            "LOREG art. 50.2",
            lexicon.find_terms(ci.settings.party_terms, target.text) if ci.settings.party_terms else [],
            **values,
        ),
    ]


def achievements_in_period(ci: CheckInput) -> list[Finding]:
    """ELEC-2 (block): achievements, inaugurations or party slogans inside a period."""
    in_force = _in_force(ci)
    if not in_force:
        return []
    names = _names(in_force)
    return [f for target in targets(ci) for f in forbidden_in_period(target, ci, "ELEC-2", names)]


def reposts_in_period(ci: CheckInput) -> list[Finding]:
    """ELEC-3 (block): the quoted or reposted post goes through the same gate as our own.

    Spans point into ``CheckInput.quoted_text`` (language and channel are None).
    """
    in_force = _in_force(ci)
    if not in_force or not ci.quoted_text.strip():
        return []
    found = forbidden_in_period(Target(ci.quoted_text, None), ci, "ELEC-3", _names(in_force))
    prefix = _("The post you repost or quote: ")
    return [
        Finding(
            f.rule,
            f.severity,
            prefix + f.message,
            SOURCE_REPOST,
            f.language,
            f.channel,
            f.part,
            f.span,
            f.evidence,
        )
        for f in found
    ]


def period_opens_before_publication(ci: CheckInput) -> list[Finding]:
    """ELEC-4 (warn): scheduled into a period that is not open yet; the queue freezes then."""
    if ci.scheduled_at is None or ci.now is None:
        return []
    today = local_date(ci.now, ci.territory)
    opening = [item for item in _in_force(ci) if item.windows.call > today]
    return [
        Finding(
            rule="ELEC-4",
            severity="warn",
            message=_(
                "Scheduled inside the election period of %(name)s, which opens on %(call)s: the post "
                "will be held for review when the period opens."
            )
            % {"name": f"«{item.election.name}»", "call": item.windows.call.isoformat()},
            source=SOURCE_QUEUE,
        )
        for item in opening
    ]


def reflection_and_election_day(ci: CheckInput) -> list[Finding]:
    """ELEC-5 (block): on reflection day and election day only emergency or voting logistics.

    The composer's category decides when set; otherwise every text must read as one of the two.
    """
    strict = [item for item in _in_force(ci) if _PHASE_RANK[item.phase] >= _PHASE_RANK["reflection_day"]]
    if not strict or ci.category in ("emergency", "voting_logistics"):
        return []
    if ci.category == "" and all(_is_allowed(t.text) for t in targets(ci)):
        return []
    item = max(strict, key=lambda i: _PHASE_RANK[i.phase])
    return [
        Finding(
            rule="ELEC-5",
            severity="block",
            message=_(
                "It is the %(phase)s of %(name)s: only emergency information and practical information "
                "about voting may be published."
            )
            % {"phase": _phase_label(item.phase), "name": f"«{item.election.name}»"},
            source=SOURCE_REFLECTION,
        )
    ]


def _is_allowed(text: str) -> bool:
    found: list[Match] = lexicon.find("EMERGENCY", text) or lexicon.find("VOTING_LOGISTICS", text)
    return bool(found)
