"""Turn corpus samples into check inputs and score the rules on them (tests and bench share it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pregonero.checks.elections import windows
from pregonero.checks.engine import run_checks
from pregonero.checks.model import (
    CalendarFacts,
    CheckInput,
    ElectionPeriod,
    LanguagePolicy,
    MediaInput,
    RuleSettings,
    Territory,
)
from pregonero.checks.tests.corpus import (
    ACRONYM_WHITELIST,
    CORPUS,
    MEASURED,
    OWN_CONTACTS,
    PARTY_TERMS,
    Sample,
)

ELECTION = ElectionPeriod("Municipales 2027", "local", election_date=date(2027, 5, 23))
TERRITORY = Territory(region="ES-VC", province="46", municipality="46250")
SETTINGS = RuleSettings(
    party_terms=PARTY_TERMS, own_contacts=OWN_CONTACTS, acronym_whitelist=ACRONYM_WHITELIST
)
_W = windows(ELECTION)
# Noon local time (UTC+2 in May) on a day of each phase; "outside" is a month after the vote.
_DAYS = {
    "pre": _W.call + timedelta(days=10),
    "camp": _W.campaign_start + timedelta(days=3),
    "refl": _W.reflection_day,
    "eday": _W.election_day,
}
_OUTSIDE = _W.election_day + timedelta(days=30)
_MEDIA = {
    "img": MediaInput("image", "Vista de la plaza con árboles y bancos nuevos."),
    "img0": MediaInput("image"),
    "imgG": MediaInput("image", "imagen"),
    "poster": MediaInput("image", "Cartel con el programa de actos.", contains_text=True),
    "vid": MediaInput("video"),
    "vidcc": MediaInput("video", has_captions=True),
    "minor": MediaInput("image", "Niños y niñas jugando en el patio.", shows_minors=True),
    "minorok": MediaInput(
        "image", "Niños y niñas jugando en el patio.", shows_minors=True, consent_recorded=True
    ),
}
_COMMENT = {
    "es": "Compartimos esta publicación.",
    "ca": "Compartim aquesta publicació.",
    "gl": "Compartimos isto.",
}


def check_input(sample: Sample) -> CheckInput:
    """The post a sample stands for, with its context."""
    context = sample.context
    day = next((d for key, d in _DAYS.items() if key in context), _OUTSIDE)
    when = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    required = [sample.language] + [c.split(":", 1)[1] for c in context if c.startswith("req:")]
    category = next((c.split(":", 1)[1] for c in context if c.startswith("cat:")), "")
    texts = {sample.language: sample.text}
    quoted = ""
    if "quote" in context or "repost" in context:
        quoted = sample.text
        texts = {sample.language: _COMMENT[sample.language]} if "quote" in context else {}
        required = [] if "repost" in context else required
    return CheckInput(
        texts=texts,
        media=tuple(_MEDIA[c] for c in sorted(context) if c in _MEDIA),
        category=category,  # type: ignore[arg-type]
        quoted_text=quoted,
        is_repost="repost" in context,
        scheduled_at=when,
        now=when,
        policy=LanguagePolicy(tuple(required)),
        territory=TERRITORY,
        settings=SETTINGS,
        calendar=CalendarFacts((ELECTION,)),
    )


def fired(sample: Sample) -> frozenset[str]:
    return frozenset(f.rule for f in run_checks(check_input(sample)))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(corpus: tuple[Sample, ...] = CORPUS) -> dict[str, Score]:
    """Per measured rule: true and false positives and false negatives over ``corpus``."""
    scores = {rule: Score() for rule in MEASURED}
    for sample in corpus:
        got = fired(sample)
        for rule, s in scores.items():
            expected, found = rule in sample.expected, rule in got
            if expected and found:
                s.tp += 1
            elif found:
                s.fp += 1
                s.false_positives.append(sample.text)
            elif expected:
                s.fn += 1
                s.false_negatives.append(sample.text)
    return scores
