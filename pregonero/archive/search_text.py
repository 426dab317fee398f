"""The text a record is found by: lower case, accents removed, so "Plaça" matches "plaza"-style
queries typed without accents. Pure: plain values in, plain values out."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics ("Ça, Vàlencia" -> "ca, valencia")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def searchable(text: str, author: str = "", language: str = "") -> str:
    return fold(f"{text}\n{author}".strip())
