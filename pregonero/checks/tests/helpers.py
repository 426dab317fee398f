"""Small builders for rule tests: a post in Vilanova de Mar, inside or outside a campaign."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from pregonero.checks.engine import run_checks
from pregonero.checks.model import (
    CalendarFacts,
    CheckInput,
    ElectionPeriod,
    Finding,
    LanguagePolicy,
    Territory,
)

LOCAL_2027 = ElectionPeriod("Municipales 2027", "local", election_date=date(2027, 5, 23))
VILANOVA = Territory(region="ES-VC", province="46", municipality="46250")
IN_CAMPAIGN = datetime(2027, 5, 12, 9, tzinfo=UTC)
OUTSIDE = datetime(2027, 9, 1, 9, tzinfo=UTC)


def post(text: str = "", language: str = "es", when: datetime = OUTSIDE, **changes) -> CheckInput:
    base = CheckInput(
        texts={language: text} if text else {},
        scheduled_at=when,
        now=when,
        policy=LanguagePolicy((language,)),
        territory=VILANOVA,
        calendar=CalendarFacts((LOCAL_2027,)),
    )
    return replace(base, **changes)


def findings(check_input: CheckInput, rule: str | None = None) -> list[Finding]:
    return [f for f in run_checks(check_input) if rule is None or f.rule == rule]
