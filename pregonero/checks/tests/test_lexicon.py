import pytest

from pregonero.checks.lexicon import find, find_terms
from pregonero.text.fold import fold


def test_folding_keeps_length_so_offsets_hold():
    text = "GRÀCIES a l’Ajuntament, Àlex i Ñoño"
    assert len(fold(text)) == len(text)
    assert fold(text) == "gracies a l'ajuntament, alex i nono"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HEMOS CONSEGUIDO el objetivo", ["HEMOS CONSEGUIDO"]),
        ("hemos\nlogrado", ["hemos\nlogrado"]),
        ("Ja és una realitat!", ["Ja és una realitat"]),
        ("los récords", ["récords"]),
        ("recordad que", []),
        ("logrados", []),
    ],
)
def test_achievements_match_whole_words_whatever_the_case_and_accents(text, expected):
    assert [m.text for m in find("ACHIEVEMENT", text)] == expected


def test_lower_case_terms_match_any_case_and_capitalised_terms_their_own():
    terms = ("vilanova avanza", "PP")
    assert [m.text for m in find_terms(terms, "VILANOVA AVANZA con el PP y la app")] == [
        "VILANOVA AVANZA",
        "PP",
    ]
    assert find_terms(terms, "pp. 12") == []
