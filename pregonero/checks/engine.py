"""Run every rule over a post and apply the organisation's settings.

Contract: ``run_checks(check_input)`` returns findings of the enabled rules, with severity
overrides applied, sorted by severity (block, warn, info), then language, channel, part and
position. ``blocking(findings)`` keeps those that stop publication. No rule reads the clock,
the database or Django settings; the time comes in ``CheckInput.now``/``scheduled_at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pregonero.checks.model import SEVERITIES, CheckInput, Finding
from pregonero.checks.rules import RULES

__all__ = ["RULE_IDS", "blocking", "run_checks"]

RULE_IDS: tuple[str, ...] = tuple(rule_id for ids, _ in RULES for rule_id in ids)
_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def run_checks(check_input: CheckInput) -> list[Finding]:
    """Every finding for ``check_input``; see the module docstring for order and settings."""
    settings = check_input.settings
    findings: list[Finding] = []
    for ids, rule in RULES:
        if all(rule_id in settings.disabled for rule_id in ids):
            continue
        findings += rule(check_input)
    findings = [
        replace(f, severity=settings.severity[f.rule]) if f.rule in settings.severity else f
        for f in findings
        if f.rule not in settings.disabled
    ]
    return sorted(findings, key=_order)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop publication until fixed or overridden."""
    return [f for f in findings if f.severity == "block"]


def _order(f: Finding) -> tuple:
    return (
        _RANK[f.severity],
        f.language or "",
        f.channel or "",
        -1 if f.part is None else f.part,
        f.span or (-1, -1),
        f.rule,
    )
