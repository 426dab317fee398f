"""What every rule module shares: the texts to scan and how a finding is made."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pregonero.checks.lexicon import Match
from pregonero.checks.model import CheckInput, Finding, Severity


@dataclass(frozen=True, slots=True)
class Target:
    """One text to scan and where its findings point (see pregonero.checks.model)."""

    text: str
    language: str | None
    channel: str | None = None
    part: int | None = None


def targets(ci: CheckInput) -> Iterator[Target]:
    """Each language text, then each variant part that says something the texts do not.

    A part equal to its language's text (the common case) would only repeat the same findings.
    """
    seen = set()
    for language, text in ci.texts.items():
        if text.strip():
            seen.add(text)
            yield Target(text, language)
    for variant in ci.variants:
        for index, part in enumerate(variant.parts):
            if part.strip() and part not in seen:
                seen.add(part)
                yield Target(part, variant.language, variant.channel, index)


def at(
    target: Target,
    rule: str,
    severity: Severity,
    message: str,
    source: str,
    matches: list[Match],
    **values: str,
) -> list[Finding]:
    """One finding per match, each with its span and words; ``message`` (already translated) may
    name the words as ``%(words)s`` and any of ``values``."""
    return [
        Finding(
            rule=rule,
            severity=severity,
            message=message % {"words": f"«{m.text}»", **values},
            source=source,
            language=target.language,
            channel=target.channel,
            part=target.part,
            span=(m.start, m.end),
            evidence=(m.text,),
        )
        for m in matches
    ]
