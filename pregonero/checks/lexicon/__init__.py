"""Word lists per language and the matcher that finds them (accent- and case-insensitive).

Each language module (``es``, ``ca`` for Catalan and Valencian, ``gl``, ``eu``) defines the same
families as tuples of patterns written in *folded* form: lower case, no accents, one space
between words (any run of whitespace matches it), ``re`` syntax for inflections. Matching runs
on the folded text, which keeps one character per original character, so a match's offsets are
offsets in the original text.

Every family is matched in every language: a post may mix languages, and one combined pattern
costs less than identifying the language first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pregonero.checks.lexicon import ca, es, eu, gl
from pregonero.text.fold import fold, fold_accents

__all__ = ["FAMILIES", "Match", "find", "find_terms", "fold"]

_LANGUAGES = {"es": es, "ca": ca, "gl": gl, "eu": eu}
FAMILIES = (
    "ACHIEVEMENT",
    "INAUGURATION",
    "DISCREDIT",
    "DISCRIMINATORY",
    "VOTING_LOGISTICS",
    "EMERGENCY",
)


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    text: str
    language: str


def _compile(patterns: list[tuple[str, str]]) -> re.Pattern[str]:
    # One named group per language so a match says which list it came from.
    by_language: dict[str, list[str]] = {}
    for language, pattern in patterns:
        by_language.setdefault(language, []).append(pattern.replace(" ", r"\s+"))
    groups = "|".join(f"(?P<{lang}>{'|'.join(items)})" for lang, items in by_language.items())
    return re.compile(rf"(?<![\w·])(?:{groups})(?![\w·])")


_PATTERNS = {
    family: _compile(
        [(lang, pattern) for lang, module in _LANGUAGES.items() for pattern in getattr(module, family, ())]
    )
    for family in FAMILIES
}


def find(family: str, text: str) -> list[Match]:
    """Every non-overlapping match of ``family`` in ``text``, in order."""
    return [
        Match(m.start(), m.end(), text[m.start() : m.end()], m.lastgroup or "")
        for m in _PATTERNS[family].finditer(fold(text))
    ]


@lru_cache(maxsize=128)
def _terms_pattern(terms: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    # Entries written in lower case match any case; entries with capitals ("PSOE", "Podemos")
    # must match their case, because "podemos" is also an everyday verb.
    loose = [re.escape(fold(t)).replace(r"\ ", r"\s+") for t in terms if t.strip() and t == t.lower()]
    strict = [
        re.escape(fold_accents(t)).replace(r"\ ", r"\s+") for t in terms if t.strip() and t != t.lower()
    ]

    def build(items: list[str]) -> re.Pattern[str] | None:
        if not items:
            return None
        items.sort(key=len, reverse=True)
        return re.compile(rf"(?<![\w·#@]){'|'.join(f'(?:{item})' for item in items)}(?![\w·])")

    return build(loose), build(strict)


def find_terms(terms: tuple[str, ...], text: str) -> list[Match]:
    """Matches of an organisation's own word list in ``text`` (see ``_terms_pattern``)."""
    loose, strict = _terms_pattern(terms)
    found: list[Match] = []
    if loose is not None:
        found += [
            Match(m.start(), m.end(), text[m.start() : m.end()], "") for m in loose.finditer(fold(text))
        ]
    if strict is not None:
        for m in strict.finditer(fold_accents(text)):
            if _is_sentence_start(text, m.start()) and not m.group().isupper():
                # "Podemos ayudarte": at a sentence start, capitals prove nothing.
                continue
            found.append(Match(m.start(), m.end(), text[m.start() : m.end()], ""))
    return sorted(found, key=lambda m: m.start)


def _is_sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\"'«¡¿(")
    return not before or before[-1] in ".!?…\n:"
