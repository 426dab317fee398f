"""X's weighted character count (twitter-text v3) as the X connector's limits use it:
properties that hold for any text, checked with Hypothesis, plus X's documented examples."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pregonero.channels.connectors.x.connector import XConnector
from pregonero.text.length import count

LIMITS = XConnector.limits
LATIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)
# Light: Latin, Greek, Cyrillic, Hebrew, Arabic... (U+0000–U+10FF) and typographic punctuation.
LIGHT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x10FF, categories=["L", "N", "P", "Zs"]),
        st.sampled_from("\u2013\u2014\u2018\u2019\u201c\u201d\u2032"),
    ),
    max_size=200,
)
CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=100)
KANA_HANGUL = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=100)
EMOJI = st.sampled_from(["😀", "🏊", "👍🏽", "👩‍👩‍👧", "🇪🇸", "❤️", "🏳️‍🌈"])
PATH = st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=300)


def weighted(text: str) -> int:
    return count(text, LIMITS.length_method, url_length=LIMITS.url_length)


@given(LATIN)
def test_ascii_weighs_one_per_character(text):
    if "http://" in text.lower() or "https://" in text.lower():
        return
    assert weighted(text) == len(text)


@given(LIGHT.filter(lambda t: "http" not in t.lower()))
def test_text_in_the_light_ranges_weighs_one_per_code_point_after_nfc(text):
    # X counts NFC text: U+0958 (क़) is a composition exclusion and becomes two code points.
    assert weighted(text) == len(unicodedata.normalize("NFC", text))


@given(st.one_of(CJK, KANA_HANGUL))
def test_cjk_and_hangul_weigh_two(text):
    assert weighted(text) == 2 * len(text)


@given(st.lists(EMOJI, min_size=1, max_size=40))
def test_every_emoji_weighs_two_however_many_code_points(emoji):
    assert weighted("".join(emoji)) == 2 * len(emoji)


@given(PATH, st.sampled_from(["http", "https"]))
def test_any_link_weighs_23_whatever_its_length(path, scheme):
    assert weighted(f"{scheme}://vilanova.example/{path}") == 23
    assert weighted(f"Mira {scheme}://vilanova.example/{path} ara") == len("Mira ") + 23 + len(" ara")


@given(LIGHT.filter(lambda t: "http" not in t.lower()), CJK, st.lists(EMOJI, max_size=5))
def test_the_weight_of_words_separated_by_spaces_adds_up(light, cjk, emoji):
    pieces = [light, cjk, *emoji]
    assert weighted(" ".join(pieces)) == sum(weighted(piece) for piece in pieces) + len(pieces) - 1


@given(st.text(max_size=300))
def test_the_weight_is_never_more_than_twice_the_code_points(text):
    assert weighted(text) <= 2 * len(unicodedata.normalize("NFC", text)) + 23 * text.lower().count("http")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 280, 280),
        ("東" * 140, 280),
        ("😀" * 140, 280),
        ("Hola, Vilanova! https://vilanova.example/una/ruta/molt/llarga?amb=parametres", 16 + 23),
        ("café", 4),
        ("cafe\u0301", 4),  # NFC: é as one code point
    ],
)
def test_x_documented_examples(text, expected):
    assert weighted(text) == expected
