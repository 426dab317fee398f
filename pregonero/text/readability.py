"""Spanish readability scores (RULES.md A11Y-6), advisory only.

Contract: ``readability(text)`` returns ``Readability(score_fernandez_huerta, score_inflesz,
band)``. Scores come from textstat's Spanish formulas: Fernández-Huerta
(206.84 − 60·syllables/word − 1.02·words/sentence) and Szigriszt-Pazos, whose scale INFLESZ
reads in bands: <40 ``very_difficult``, 40–55 ``somewhat_difficult``, 55–65 ``normal``,
65–80 ``fairly_easy``, >=80 ``very_easy``. Texts of fewer than ``MIN_SENTENCES`` sentences or
``MIN_WORDS`` words get ``band=None`` (the scores are still returned, but mean little).

textstat's top-level ``set_lang`` is process-wide state, so a Catalan check in one thread
could change a Spanish score in another. The language-explicit functions of
``textstat.backend`` take the language as an argument and keep no state besides a cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from textstat.backend import counts, metrics

__all__ = ["MIN_SENTENCES", "MIN_WORDS", "Readability", "inflesz_band", "readability"]

MIN_SENTENCES = 2
MIN_WORDS = 20
_LANG = "es"
_BANDS = ((40, "very_difficult"), (55, "somewhat_difficult"), (65, "normal"), (80, "fairly_easy"))


@dataclass(frozen=True, slots=True)
class Readability:
    score_fernandez_huerta: float
    score_inflesz: float
    band: str | None


def readability(text: str) -> Readability:
    """Fernández-Huerta and Szigriszt-Pazos (INFLESZ) scores of Spanish ``text``, with its band."""
    huerta = round(metrics.fernandez_huerta(text, _LANG), 2)
    inflesz = round(metrics.szigriszt_pazos(text, _LANG), 2)
    # textstat ignores "sentences" of two words or fewer, so "¡Hola! Ven." is one sentence.
    long_enough = counts.count_sentences(text) >= MIN_SENTENCES and counts.count_words(text) >= MIN_WORDS
    return Readability(huerta, inflesz, inflesz_band(inflesz) if long_enough else None)


def inflesz_band(score: float) -> str:
    """The INFLESZ band name for a Szigriszt-Pazos score."""
    for upper, band in _BANDS:
        if score < upper:
            return band
    return "very_easy"
