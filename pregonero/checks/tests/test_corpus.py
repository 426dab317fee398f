"""The labelled corpus: size, coverage, and per-rule recall and precision floors.

Floors are the figures measured when the corpus was written, so a change that makes a rule
miss its own positives (or fire where it should not) fails here. bench/checks.py prints the
current figures.
"""

import pytest

from pregonero.checks.tests.corpus import CORPUS, MEASURED
from pregonero.checks.tests.evaluation import score

RECALL_FLOORS = dict.fromkeys(MEASURED, 1.0)
PRECISION_FLOORS = dict.fromkeys(MEASURED, 1.0)


@pytest.fixture(scope="module")
def scores():
    return score()


def test_the_corpus_has_at_least_300_texts_in_spanish_and_valencian():
    languages = [sample.language for sample in CORPUS]
    assert len(CORPUS) >= 300
    assert languages.count("es") >= 100
    assert languages.count("ca") >= 100


@pytest.mark.parametrize("rule", MEASURED)
def test_every_measured_rule_has_positives_and_a_recorded_floor(rule):
    assert sum(rule in sample.expected for sample in CORPUS) >= 3
    assert rule in RECALL_FLOORS
    assert rule in PRECISION_FLOORS


@pytest.mark.parametrize("rule", MEASURED)
def test_recall_on_its_own_positives_stays_at_its_floor(scores, rule):
    s = scores[rule]
    assert s.recall >= RECALL_FLOORS[rule], f"{rule} missed: {s.false_negatives}"


@pytest.mark.parametrize("rule", MEASURED)
def test_precision_stays_at_its_floor(scores, rule):
    s = scores[rule]
    assert s.precision >= PRECISION_FLOORS[rule], f"{rule} fired on: {s.false_positives}"
