import pytest

from pregonero.text.hashtags import (
    emoji_count,
    find_hashtags,
    find_mentions,
    hashtags_not_at_end,
    is_camel_case,
    is_emoji_only,
)


def test_it_finds_hashtags_with_their_spans():
    text = "Festes d'agost! #FestesMajors2025 #Vilanova #1 a#b"
    tags = find_hashtags(text)
    assert [t.name for t in tags] == ["FestesMajors2025", "Vilanova"]
    assert all(text[t.start : t.end] == t.text for t in tags)


def test_accented_and_non_latin_hashtags_are_whole():
    assert [t.name for t in find_hashtags("#Castelló #Ourense #東京 #Пример")] == [
        "Castelló",
        "Ourense",
        "東京",
        "Пример",
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Gracias @AytoVilanova por la info", ["AytoVilanova"]),
        ("Segueix @vilanova.bsky.social", ["vilanova.bsky.social"]),
        ("Seguid a @ajuntament@xarxa.social.", ["ajuntament@xarxa.social"]),
        ("Escribid a info@vilanova.es", []),
    ],
)
def test_it_finds_mentions_but_not_email_addresses(text, names):
    assert [t.name for t in find_mentions(text)] == names


@pytest.mark.parametrize(
    ("tag", "camel"),
    [
        ("#FestesMajors", True),
        ("#Vilanovadelmar", True),
        ("#obras", True),
        ("#festesmajors", True),  # 12 letters: could be one word, so not flagged
        ("#festesmajors2025", True),
        ("#festesmajorsdevilanova", False),
        ("#FESTESMAJORSVILANOVA", False),
        ("#semanasantavilanova", False),
        ("SemanaSantaVilanova", True),
    ],
)
def test_long_single_case_hashtags_are_flagged(tag, camel):
    assert is_camel_case(tag) is camel


@pytest.mark.parametrize(
    ("text", "inline"),
    [
        ("Arriben les #FestesMajors a Vilanova! 🎉 #Vilanova", ["#FestesMajors"]),
        ("Corte de agua mañana en el centro. #Obras #Vilanova", []),
        ("Corte de agua. #Obras https://vilanova.es/avisos @AytoVilanova 💧.", []),
        ("#Pleno hoy a las 19 h en el salón de actos", ["#Pleno"]),
        ("Sin etiquetas", []),
    ],
)
def test_hashtags_belong_at_the_end(text, inline):
    assert [t.text for t in hashtags_not_at_end(text)] == inline


@pytest.mark.parametrize(
    ("text", "count", "only"),
    [
        ("🎉🎉🎉", 3, True),
        ("👨\u200d👩\u200d👧 🇪🇸!", 2, True),
        ("Festes 🎉", 1, False),
        ("❤️", 1, True),
        ("© Ajuntament", 0, False),
        ("1️⃣ 2️⃣", 2, True),
        ("", 0, False),
        ("...", 0, False),
    ],
)
def test_emoji_are_counted_by_grapheme(text, count, only):
    assert emoji_count(text) == count
    assert is_emoji_only(text) is only
