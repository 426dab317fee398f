"""An explainable sentiment score for citizens' messages in Spanish and Catalan/Valencian.

Pure and offline: a small lexicon owned by the project (no model downloaded), matched on
accent- and case-folded words. An entry ending in ``*`` matches every word starting with it
("vergonz*" matches "vergonzoso", "vergonzosa"). A negator ("no", "ni", "mai"...) up to two
words before flips the next scored word; an intensifier ("muy", "molt") multiplies it by 1.5.

The result keeps every word that counted with its weight, so the interface can say which
words made a message negative; the score is their sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pregonero.text.fold import fold

# Weights from -3 (insult, outrage) to +3 (warm thanks). Spanish and Catalan/Valencian share
# the table: many words are the same and the folded forms never clash in meaning here.
_ENTRIES: dict[str, float] = {
    # Spanish, negative.
    "vergonz*": -2.5,
    "verguenza": -2.5,
    "indignant*": -2.5,
    "indignad*": -2.5,
    "harto": -2,
    "harta": -2,
    "hartos": -2,
    "hartas": -2,
    "fatal": -2,
    "horrible*": -2.5,
    "asco": -2.5,
    "desastre*": -2.5,
    "penoso": -2,
    "penosa": -2,
    "lamentable*": -2,
    "inutil*": -2.5,
    "incompetent*": -2.5,
    "abandon*": -1.5,
    "sucio": -1.5,
    "sucia": -1.5,
    "suciedad": -1.5,
    "basura": -1,
    "peligro*": -1.5,
    "queja*": -1.5,
    "denuncia*": -1,
    "problema*": -1,
    "roto": -1.5,
    "rota": -1.5,
    "rotas": -1.5,
    "rotos": -1.5,
    "averia*": -1.5,
    "nadie": -1,
    "nunca": -1,
    "mal": -1.5,
    "malo": -1.5,
    "mala": -1.5,
    "peor": -2,
    "ruido*": -1,
    "robo*": -2,
    "estafa*": -3,
    "mentir*": -2.5,
    "mentira*": -2.5,
    "ridicul*": -2,
    "cansad*": -1.5,
    "enfadad*": -2,
    "molest*": -1.5,
    "insoportable*": -2.5,
    "caos": -2,
    "retraso*": -1.5,
    "esperando": -1,
    "ignora*": -1.5,
    # Catalan/Valencian, negative.
    "vergony*": -2.5,
    "indignat*": -2.5,
    "fart": -2,
    "farts": -2,
    "farta": -2,
    "fartes": -2,
    "horrible": -2.5,
    "fastig": -2.5,
    "desastros*": -2.5,
    "lamentables": -2,
    "brut": -1.5,
    "bruta": -1.5,
    "brutes": -1.5,
    "brutícia": -1.5,
    "brutícies": -1.5,
    "brutici*": -1.5,
    "perill*": -1.5,
    "queixa*": -1.5,
    "problemes": -1,
    "trencat*": -1.5,
    "avaria*": -1.5,
    "ningu": -1,
    "mai": -1,
    "dolent*": -1.5,
    "pitjor*": -2,
    "soroll*": -1,
    "robatori*": -2,
    "engany*": -2.5,
    "menti*": -2.5,
    "cansat*": -1.5,
    "enfadat*": -2,
    "emprenyat*": -2,
    "insuportable*": -2.5,
    "retard*": -1.5,
    "esperant": -1,
    # Spanish, positive.
    "gracias": 2,
    "agradec*": 2,
    "genial": 2.5,
    "estupend*": 2.5,
    "excelente*": 3,
    "perfecto": 2,
    "perfecta": 2,
    "bien": 1,
    "bueno": 1,
    "buena": 1,
    "buenos": 1,
    "buenas": 0,
    "enhorabuena": 2.5,
    "felicidades": 2.5,
    "felicit*": 2,
    "encanta": 2,
    "rapido": 1,
    "rapida": 1,
    "amable*": 2,
    "util": 1,
    "bonito": 1.5,
    "bonita": 1.5,
    # Catalan/Valencian, positive.
    "gracies": 2,
    "merces": 2,
    "agraï*": 2,
    "agrai*": 2,
    "excel·lent*": 3,
    "excellent*": 3,
    "perfecte": 2,
    "perfectes": 2,
    "be": 1,
    "bo": 1,
    "bona": 1,
    "bons": 1,
    "enhorabona": 2.5,
    "felicitats": 2.5,
    "rapid": 1,
    "amables": 2,
    "bonic": 1.5,
    "bonica": 1.5,
}

NEGATORS = frozenset({"no", "ni", "sin", "tampoco", "sense", "tampoc", "gens"})
INTENSIFIERS = frozenset({"muy", "mucho", "mucha", "tan", "super", "molt", "molta", "massa", "tant"})

_EXACT = {fold(word): weight for word, weight in _ENTRIES.items() if not word.endswith("*")}
_PREFIXES = sorted(
    ((fold(word[:-1]), weight) for word, weight in _ENTRIES.items() if word.endswith("*")),
    key=lambda item: -len(item[0]),
)
_WORD = regex.compile(r"[\p{L}·]+")


@dataclass(frozen=True, slots=True)
class Sentiment:
    score: float
    # (the word as written, its weight after negation and intensity), in reading order.
    words: tuple[tuple[str, float], ...]

    @property
    def label(self) -> str:
        if self.score <= -1:
            return "negative"
        if self.score >= 1:
            return "positive"
        return "neutral"

    def negative_words(self) -> list[str]:
        return [word for word, weight in self.words if weight < 0]


def weight_of(folded: str) -> float | None:
    if folded in _EXACT:
        return _EXACT[folded]
    for prefix, weight in _PREFIXES:
        if folded.startswith(prefix):
            return weight
    return None


def score(text: str) -> Sentiment:
    """Score ``text``; the words that counted come back with their weights."""
    counted: list[tuple[str, float]] = []
    negate_for = 0
    intensity = 1.0
    for match in _WORD.finditer(text or ""):
        word = match.group()
        folded = fold(word)
        if folded in NEGATORS:
            negate_for = 3
            continue
        if folded in INTENSIFIERS:
            intensity = 1.5
            continue
        weight = weight_of(folded)
        if weight:
            if negate_for:
                weight = -weight
            counted.append((word, round(weight * intensity, 2)))
            negate_for = 0
        intensity = 1.0
        negate_for = max(negate_for - 1, 0)
    return Sentiment(round(sum(weight for _word, weight in counted), 2), tuple(counted))
