import pytest

from pregonero.text.length import count, split_thread

FAMILY = "👨\u200d👩\u200d👧"  # five code points, one grapheme
FLAG = "🇪🇸"  # two regional indicators, one grapheme


@pytest.mark.parametrize(
    ("text", "characters", "graphemes", "utf16", "weighted"),
    [
        ("Bon dia, Vilanova!", 18, 18, 18, 18),
        ("Mañana, ¿vienes?", 16, 16, 16, 16),
        ("Man\u0303ana", 7, 6, 7, 6),  # decomposed ñ: X counts the NFC form
        ("Festes 🎉", 8, 8, 9, 9),
        (FAMILY, 5, 1, 8, 2),
        (FLAG, 2, 1, 4, 2),
        ("東京", 2, 2, 2, 4),
        ("Привет", 6, 6, 6, 6),
        ("مرحبا", 5, 5, 5, 5),
        ("“cometes” — guió", 16, 16, 16, 16),
        ("", 0, 0, 0, 0),
    ],
)
def test_each_method_counts_as_its_network_does(text, characters, graphemes, utf16, weighted):
    assert count(text, "characters") == characters
    assert count(text, "graphemes") == graphemes
    assert count(text, "utf16") == utf16
    assert count(text, "weighted") == weighted


def test_x_counts_every_url_as_23():
    text = "Programa: https://www.vilanovademar.es/festes-majors/2025/programa-complet.pdf."
    assert count(text, "weighted") == len("Programa: ") + 23 + 1


def test_a_given_url_length_applies_to_any_method():
    text = "Mira https://vilanova.es/a i https://vilanova.es/b-molt-llarga-de-veritat"
    assert count(text, "characters", url_length=23) == len("Mira  i ") + 2 * 23


def test_without_url_length_urls_count_as_written():
    assert count("https://a.es", "characters") == 12


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="Unknown counting method"):
        count("hola", "bytes")


def test_a_text_that_fits_is_one_unnumbered_post():
    assert split_thread("  Bon dia!  ", 280, "characters") == ["Bon dia!"]


def test_a_long_text_breaks_at_paragraphs_first():
    first = "El Ayuntamiento de Vilanova de Mar informa del corte de la calle Mayor por obras."
    second = "Los autobuses urbanos desviarán su recorrido por la avenida del Puerto."
    posts = split_thread(f"{first}\n\n{second}", 100, "characters")
    assert posts == [f"{first} (1/2)", f"{second} (2/2)"]


def test_a_long_paragraph_breaks_after_a_sentence():
    text = (
        "L'Ajuntament obri el termini d'inscripció a l'escola d'estiu. "
        "Les places són limitades i s'adjudicaran per sorteig públic el dia 5."
    )
    posts = split_thread(text, 90, "characters")
    assert posts == [
        "L'Ajuntament obri el termini d'inscripció a l'escola d'estiu. (1/2)",
        "Les places són limitades i s'adjudicaran per sorteig públic el dia 5. (2/2)",
    ]


def test_without_sentence_ends_it_breaks_between_words():
    text = " ".join(["palabra"] * 30)
    posts = split_thread(text, 50, "characters", numbered=False)
    assert all(len(post) <= 50 for post in posts)
    assert " ".join(posts) == text


def test_urls_and_hashtags_are_never_cut():
    url = "https://www.vilanovademar.es/agenda/festes-majors-2025"
    text = f"Consulta tota la programació de les festes a {url} #FestesMajors #Vilanova i vine!"
    posts = split_thread(text, 70, "characters")
    assert any(url in post for post in posts)
    assert any("#FestesMajors" in post for post in posts)
    assert all(len(post) <= 70 for post in posts)


def test_numbering_counts_within_the_limit_and_grows_to_two_digits():
    posts = split_thread(" ".join(["paraula"] * 200), 40, "characters")
    assert len(posts) >= 10
    assert posts[0].endswith(f" (1/{len(posts)})")
    assert all(len(post) <= 40 for post in posts)


def test_emoji_weigh_two_when_splitting_for_x():
    text = " ".join(["🎉"] * 200)
    posts = split_thread(text, 280, "weighted")
    assert all(count(post, "weighted") <= 280 for post in posts)


def test_a_word_longer_than_the_limit_is_an_error_that_names_it():
    with pytest.raises(ValueError, match="counts 60 on its own"):
        split_thread("Mirad " + "x" * 60 + " aquí", 50, "characters", numbered=False)


def test_a_limit_smaller_than_the_numbering_is_an_error():
    with pytest.raises(ValueError, match="no room for the thread numbering"):
        split_thread("una dos tres cuatro", 6, "characters")
