"""A multinomial naive Bayes classifier over words, trained on an organisation's own routing.

Pure: :func:`train` takes ``(text, label)`` pairs (the departments people chose) and returns a
:class:`Model`; :meth:`Model.predict` gives the likeliest label with its probability, which
the inbox shows as the classifier's confidence. Training is cheap enough to redo from the
stored decisions whenever a suggestion is needed, so a reroute counts from the next message.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from pregonero.text.fold import fold

_WORD = regex.compile(r"[\p{L}\p{N}·]{3,}")
# Words too common to say anything about a department.
_STOP = frozenset(
    {
        "aixo",
        "amb",
        "and",
        "aquest",
        "aquesta",
        "com",
        "como",
        "con",
        "del",
        "els",
        "esa",
        "ese",
        "esta",
        "este",
        "esto",
        "for",
        "hay",
        "las",
        "les",
        "los",
        "mas",
        "mes",
        "molt",
        "muy",
        "para",
        "per",
        "pero",
        "por",
        "que",
        "seus",
        "sus",
        "the",
        "una",
        "uno",
    }
)


def words(text: str) -> list[str]:
    return [word for word in _WORD.findall(fold(text or "")) if word not in _STOP]


@dataclass(frozen=True)
class Prediction:
    label: object
    confidence: float


@dataclass(frozen=True)
class Model:
    label_counts: dict
    word_counts: dict  # label -> Counter of words
    vocabulary: frozenset[str]

    def predict(self, text: str) -> Prediction | None:
        """The likeliest label and its posterior probability, or None with nothing to learn from
        (no training, or none of the text's words were ever seen)."""
        tokens = [word for word in words(text) if word in self.vocabulary]
        if not self.label_counts or not tokens:
            return None
        total = sum(self.label_counts.values())
        size = len(self.vocabulary)
        logs = {}
        for label, count in self.label_counts.items():
            counts = self.word_counts[label]
            denominator = sum(counts.values()) + size
            logs[label] = math.log(count / total) + sum(
                math.log((counts[word] + 1) / denominator) for word in tokens
            )
        top = max(logs.values())
        weights = {label: math.exp(value - top) for label, value in logs.items()}
        best = max(weights, key=weights.__getitem__)
        return Prediction(best, weights[best] / sum(weights.values()))


def train(examples: Iterable[tuple[str, object]]) -> Model:
    label_counts: Counter = Counter()
    word_counts: dict = {}
    vocabulary: set[str] = set()
    for text, label in examples:
        tokens = words(text)
        label_counts[label] += 1
        word_counts.setdefault(label, Counter()).update(tokens)
        vocabulary.update(tokens)
    return Model(dict(label_counts), word_counts, frozenset(vocabulary))
