"""Accent- and case-insensitive matching that keeps offsets.

Folding maps each character to exactly one character, so a match found in the folded
text has the same start and end in the original: findings can point at the words a
person wrote.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = "’ʼ´`"


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each code point: the first code point
    of its NFD form (the letter without accents), lower-cased; typographic apostrophes become
    plain. Two threads filling the same entry write the same value."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = "'" if char in _APOSTROPHES else unicodedata.normalize("NFD", char)[0].lower()[0]
        self[code] = folded
        return folded


_FOLD = _FoldTable()


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """``text`` lower-cased and without accents, same length, same offsets."""
    return text.translate(_FOLD)


def fold_accents(text: str) -> str:
    """``text`` without accents but with its case, same length."""
    return "".join(c if c.isascii() else fold(c).upper() if c.isupper() else fold(c) for c in text)
