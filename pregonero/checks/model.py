"""Plain values the checks read and write (frozen dataclasses, no ORM).

Offsets: a :class:`Finding` with ``channel=None`` points into ``CheckInput.texts[language]``;
one with a ``channel`` points into that variant's ``parts[part]``. Spans are Python ``str``
offsets, so ``text[span[0]:span[1]]`` is the passage that fired.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from pregonero.channels.connectors.base import Limits

Severity = Literal["block", "warn", "info"]
SEVERITIES: tuple[Severity, ...] = ("block", "warn", "info")
MediaKind = Literal["image", "gif", "video", "audio", "document"]
ElectionKind = Literal["general", "european", "regional", "local", "referendum"]
Category = Literal["", "service", "agenda", "culture", "emergency", "voting_logistics", "institutional"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason to stop, think or know, explained: which rule, which words, which law."""

    rule: str
    severity: Severity
    message: str
    source: str
    language: str | None = None
    channel: str | None = None
    part: int | None = None
    span: tuple[int, int] | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantInput:
    """What goes to one channel in one language: the text, split in thread parts."""

    channel: str
    language: str
    parts: tuple[str, ...]
    limits: Limits = Limits()
    # Indexes into CheckInput.media of the media attached to this variant.
    media: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MediaInput:
    kind: MediaKind
    description: str = ""
    has_captions: bool = False
    shows_minors: bool = False
    consent_recorded: bool = False
    # Set by the composer (a person's tick or OCR) when the picture carries text: a poster.
    contains_text: bool = False
    size: int = 0
    mime: str = ""


@dataclass(frozen=True, slots=True)
class Territory:
    """Where a body or an election is. ``region``: ISO 3166-2 (``ES-VC``); ``province``: INE
    two-digit code (``46``); ``municipality``: INE five-digit code (``46250``)."""

    region: str | None = None
    province: str | None = None
    municipality: str | None = None


@dataclass(frozen=True, slots=True)
class LanguagePolicy:
    required: tuple[str, ...] = ()
    first: str | None = None


@dataclass(frozen=True, slots=True)
class ElectionPeriod:
    """An election as the admin enters it: a name, a kind, a territory and one of the dates.

    ``territory`` empty means the whole of Spain; ``municipalities`` (INE codes) limits a
    partial or repeated local election to those towns. Windows come from
    :func:`pregonero.checks.elections.windows`.
    """

    name: str
    kind: ElectionKind
    call_date: date | None = None
    election_date: date | None = None
    region: str | None = None
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CalendarFacts:
    elections: tuple[ElectionPeriod, ...] = ()
    holidays: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """An organisation's tuning. Word lists are matched case- and accent-insensitively, except
    entries written with capitals (party acronyms, "Podemos"), which must match their case."""

    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    party_terms: tuple[str, ...] = ()
    achievement_phrases: tuple[str, ...] = ()
    acronym_whitelist: tuple[str, ...] = ()
    # The organisation's own public contact data (phones, e-mails, domains, IBANs): not personal.
    own_contacts: tuple[str, ...] = ()
    max_hashtags: int = 3
    max_emoji: int = 5
    readability_floor: float = 55.0
    language_confidence: float = 0.85


@dataclass(frozen=True, slots=True)
class CheckInput:
    """A post version with everything the checks need; see the module docstring for offsets.

    ``when`` decides the election phase: ``scheduled_at`` if set, else ``now``; both aware.
    ``quoted_text`` is the text of the post reposted or quoted (ELEC-3), ``is_repost`` says
    whether the post only reposts it. ``machine_translated`` names the languages whose text is
    an unreviewed machine draft (LANG-3 blocks publishing them).
    """

    texts: Mapping[str, str]
    variants: tuple[VariantInput, ...] = ()
    media: tuple[MediaInput, ...] = ()
    category: Category = ""
    quoted_text: str = ""
    is_repost: bool = False
    scheduled_at: datetime | None = None
    now: datetime | None = None
    policy: LanguagePolicy = LanguagePolicy()
    territory: Territory = Territory()
    settings: RuleSettings = RuleSettings()
    calendar: CalendarFacts = CalendarFacts()
    # Languages whose text is a machine translation no person has reviewed yet (LANG-3).
    machine_translated: frozenset[str] = frozenset()

    @property
    def when(self) -> datetime | None:
        return self.scheduled_at or self.now
