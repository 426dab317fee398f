"""Properties that hold for any text, checked with Hypothesis."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pregonero.text.length import METHODS, count, split_thread
from pregonero.text.personal_data import find_personal_data

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"

words = st.text(
    alphabet=st.characters(blacklist_categories=("Z", "Cc", "Cs")), min_size=1, max_size=12
).filter(lambda w: not any(ch.isspace() for ch in w))
separators = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", "  "])


@st.composite
def prose(draw):
    tokens = draw(st.lists(words, min_size=1, max_size=80))
    return "".join(token + draw(separators) for token in tokens)


@given(st.text())
def test_graphemes_never_outnumber_characters_nor_characters_utf16_units(text):
    assert count(text, "graphemes") <= count(text, "characters") <= count(text, "utf16")


@given(st.text())
def test_the_grapheme_shortcut_agrees_with_a_full_segmentation(text):
    assert count(text, "graphemes") == len(regex.findall(r"\X", text))


@settings(max_examples=60, deadline=None)
@given(prose(), st.integers(min_value=40, max_value=300), st.sampled_from(METHODS), st.booleans())
def test_split_thread_posts_fit_keep_every_word_and_are_never_empty(text, limit, method, numbered):
    posts = split_thread(text, limit, method, numbered=numbered)
    assert all(count(post, method) <= limit for post in posts)
    assert all(post.strip() for post in posts)
    if numbered and len(posts) > 1:
        posts = [post.rsplit(" (", 1)[0] for post in posts]
    assert " ".join(posts).split() == text.split()


@given(st.text())
def test_personal_data_spans_slice_back_to_their_text(text):
    for item in find_personal_data(text):
        assert text[item.start : item.end] == item.text


@given(st.text(alphabet="0123456789 .-+@abcdefXYZ€", max_size=60))
def test_personal_data_spans_hold_on_digit_heavy_text(text):
    found = find_personal_data(text)
    assert all(text[item.start : item.end] == item.text for item in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@given(st.integers(min_value=0, max_value=99_999_999), st.sampled_from(["", "-", " "]), st.booleans())
def test_any_dni_with_its_computed_letter_is_found(number, separator, lower):
    letter = DNI_LETTERS[number % 23]
    dni = f"{number:08d}{separator}{letter.lower() if lower else letter}"
    assert [(i.kind, i.text) for i in find_personal_data(f"Mi DNI es {dni}, gracias.")] == [("dni", dni)]


@given(st.integers(min_value=0, max_value=99_999_999), st.integers(min_value=1, max_value=22))
def test_a_dni_with_any_other_letter_is_not_found(number, shift):
    wrong = DNI_LETTERS[(number % 23 + shift) % 23]
    assert find_personal_data(f"Mi DNI es {number:08d}{wrong}, gracias.") == []


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=30, max_value=300), st.sampled_from(METHODS))
def test_split_thread_on_any_unicode_either_fits_or_names_the_unbreakable_word(text, limit, method):
    try:
        posts = split_thread(text, limit, method, numbered=False)
    except ValueError as error:
        assert "on its own" in str(error)
        return
    assert all(0 < count(post, method) <= limit for post in posts)
    assert " ".join(posts).split() == text.split()
