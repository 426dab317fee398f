import pytest

from pregonero.text.language import identify


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Mañana se corta la calle Mayor por obras de alcantarillado.", "es"),
        ("Demà es talla el carrer Major per obres de clavegueram.", "ca"),
        ("Les inscripcions per a l'escola d'estiu s'obrin el dilluns a l'OAC.", "ca"),
        ("Mañá córtase a rúa Maior por obras de sumidoiros.", "gl"),
        ("Bihar kale nagusia itxita egongo da obrengatik.", "eu"),
        ("The main street will be closed tomorrow for repairs.", "en"),
        ("Amanhã a rua principal estará fechada para obras.", "pt"),
        ("Demain la rue principale sera fermée pour travaux.", "fr"),
    ],
)
def test_it_tells_the_official_languages_apart(text, language):
    result = identify(text)
    assert result.language == language
    assert 0.5 < result.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "Hola", "👍👍", "#Vilanova", "   "])
def test_empty_or_very_short_text_has_no_language(text):
    result = identify(text)
    assert (result.language, result.confidence) == (None, 0.0)


def test_the_answer_is_always_one_of_the_candidates():
    result = identify("Demà es talla el carrer Major per obres.", candidates=("es", "gl"))
    assert result.language in {"es", "gl"}


def test_confidence_is_normalised_over_the_candidates_only():
    assert identify("Mañana se corta la calle Mayor por obras.", candidates=("es",)).confidence == 1.0


def test_an_unknown_language_code_is_refused():
    with pytest.raises(ValueError, match="xx"):
        identify("Mañana se corta la calle.", candidates=("es", "xx"))
