"""Identify which language a text is written in (RULES.md LANG-2), offline, with py3langid.

Contract: ``identify(text, candidates)`` returns ``Identification(language, confidence)`` where
``language`` is one of ``candidates`` and ``confidence`` in [0, 1] is a probability normalised
over the candidates only. Text with fewer than ``MIN_LETTERS`` letters gives
``Identification(None, 0.0)``: a greeting or a hashtag is not evidence of a language.

The model (a few megabytes) is loaded once, on first use, and shared. The shared identifier is
never restricted with ``set_languages`` (that mutates it, which would race between threads):
the candidates are picked out of the full ranking instead.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["DEFAULT_CANDIDATES", "MIN_LETTERS", "Identification", "identify"]

DEFAULT_CANDIDATES = ("es", "ca", "gl", "eu", "en", "pt", "fr")
MIN_LETTERS = 10

_identifier: LanguageIdentifier | None = None
_loading = threading.Lock()


@dataclass(frozen=True, slots=True)
class Identification:
    language: str | None
    confidence: float


def identify(text: str, candidates: Iterable[str] = DEFAULT_CANDIDATES) -> Identification:
    """The most likely of ``candidates`` for ``text`` and its probability among them."""
    candidates = tuple(dict.fromkeys(candidates))
    identifier = _get_identifier()
    unknown = set(candidates) - set(identifier.labels)
    if unknown:
        raise ValueError(f"py3langid does not know the language code(s) {sorted(unknown)}.")
    if not candidates or sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return Identification(None, 0.0)

    scores = dict(identifier.rank(text))
    # py3langid's own normalisation divides log-scores by sqrt(bytes) before the softmax so
    # confidence does not saturate on long texts; the same temperature is used here.
    temperature = math.sqrt(len(unicodedata.normalize("NFC", text).encode("utf-8")))
    logits = {lang: scores[lang] / temperature for lang in candidates}
    top = max(logits.values())
    weights = {lang: math.exp(value - top) for lang, value in logits.items()}
    best = max(weights, key=weights.__getitem__)
    return Identification(best, weights[best] / sum(weights.values()))


def _get_identifier() -> LanguageIdentifier:
    global _identifier
    if _identifier is None:
        with _loading:
            if _identifier is None:
                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    return _identifier
