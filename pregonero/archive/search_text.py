"""The text a record is found by, and the same treatment of what people type to find it.

Pure: plain values in, plain values out. Both the index and the query go through
:func:`variants`, so a word typed in a query matches a word in a record when they share any
variant:

- the word itself, lower case without diacritics ("Plaça" -> "placa");
- its Spanish and its Catalan/Valencian Snowball stems ("aparcamientos" -> "aparc" in Spanish,
  "aparcament" -> "aparc" in Catalan: the Spanish query finds the Valencian comment);
- the same for a "bridged" spelling, where a few regular Catalan/Spanish spelling
  correspondences are undone (ç -> z, ny -> n, l·l -> l, tx -> ch, -tat -> -dad, -ment ->
  -miento, -ció -> -ción), so "plaça" also reads as "plaza" and "ciutat" as "ciudad".

The stems are computed here, in Python, rather than by the database: PostgreSQL has no Catalan
text search configuration and SQLite's FTS5 has no stemmer at all, and doing it once here
makes both databases find exactly the same records.

A record's ``search_text`` is two lines: the folded words in order (for phrases) and the
set of all their variants (for words). The databases index each line separately (see
migrations/0002_search_index.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

# Keeps a record's index well inside PostgreSQL's tsvector limits (1 MiB, 16,383 positions):
# a message longer than this is still archived whole, but found by its first words only.
MAX_WORDS = 8000

# A word: letters and digits of any script, with Catalan's middle dot kept inside ("col·legi").
# Apostrophes split ("l'aparcament" -> "l", "aparcament"), as does everything else.
_WORD_ONLY = re.compile(r"[^\W_]+(?:·[^\W_]+)*")
_NOT_WORD = re.compile(r"[\W_]+")

_SPANISH = snowballstemmer.stemmer("spanish")
_CATALAN = snowballstemmer.stemmer("catalan")

# Catalan spellings rewritten towards Spanish ones; applied to queries and records alike.
_BRIDGES = (
    (re.compile(r"l·l"), "l"),
    (re.compile(r"ç"), "z"),
    (re.compile(r"ny"), "n"),
    (re.compile(r"tx"), "ch"),
    (re.compile(r"tat$"), "dad"),
    (re.compile(r"tats$"), "dades"),
    (re.compile(r"ment$"), "miento"),
    (re.compile(r"ments$"), "mientos"),
    (re.compile(r"ció$"), "ción"),
    (re.compile(r"cions$"), "ciones"),
)


def fold(text: str) -> str:
    """Lower case without diacritics ("Ça, Vàlencia" -> "ca, valencia")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of ``text`` as they are written (case and accents kept), in order."""
    return _WORD_ONLY.findall(unicodedata.normalize("NFC", text))


def spans(text: str) -> list[tuple[int, int]]:
    """Where each word of ``text`` starts and ends, for highlighting."""
    return [match.span() for match in _WORD_ONLY.finditer(text)]


def folded_word(word: str) -> str:
    """The word as the index keeps it for phrases: folded, middle dot dropped ("col·legi" -> "collegi")."""
    return _NOT_WORD.sub("", fold(word))


@functools.lru_cache(maxsize=200_000)
def variants(word: str) -> frozenset[str]:
    """Every form under which ``word`` is indexed and looked for (see the module's docstring)."""
    lower = unicodedata.normalize("NFC", word.casefold())
    forms = {lower, lower.replace("·", "")}
    bridged = lower
    for pattern, replacement in _BRIDGES:
        bridged = pattern.sub(replacement, bridged)
    forms.add(bridged)
    found = forms | {fold(form) for form in forms}
    if not any(char.isdigit() for char in lower):  # numbers, ids and handles are not stemmed
        found |= {stemmer.stemWord(form) for form in set(found) for stemmer in (_SPANISH, _CATALAN)}
    return frozenset(token for token in (folded_word(item) for item in found) if token)


def searchable(text: str, author: str = "", language: str = "") -> str:
    """A record's ``search_text``: folded words on the first line, all their variants on the second.

    ``language`` is accepted for callers' sake but not used: a comment's language is often
    guessed wrong, and people search one language with the other's words anyway.
    """
    found = words(f"{text}\n{author}")[:MAX_WORDS]
    ordered = [folded_word(word) for word in found]
    bag: dict[str, None] = {}
    for word in found:
        for token in sorted(variants(word)):
            bag[token] = None
    if not ordered:
        return ""
    return " ".join(ordered) + "\n" + " ".join(bag)
