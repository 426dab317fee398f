import pytest

from pregonero.channels.connectors.base import Capabilities, Limits
from pregonero.publishing.adapt import AdaptationError, adapt, preview
from pregonero.text.length import count

SHORT = Limits(max_length=50, max_thread=3)
THREADS = Capabilities(thread=True)
NO_THREADS = Capabilities(thread=False)
LONG = "El lunes se corta el agua en el centro. " * 3


def test_a_text_that_fits_goes_out_as_one_unnumbered_part():
    assert adapt("Corte de agua.", SHORT, THREADS) == ["Corte de agua."]


def test_an_empty_text_has_no_parts():
    assert adapt("   ", SHORT, THREADS) == []


def test_a_long_text_becomes_a_numbered_thread_within_the_limit():
    parts = adapt(LONG, SHORT, THREADS)
    assert 1 < len(parts) <= 3
    assert parts[0].endswith(f"(1/{len(parts)})")
    assert all(count(part, "characters") <= 50 for part in parts)


def test_a_long_text_is_refused_where_the_network_has_no_threads():
    with pytest.raises(AdaptationError, match="no threads"):
        adapt(LONG, SHORT, NO_THREADS)


def test_a_thread_longer_than_the_network_allows_is_refused():
    with pytest.raises(AdaptationError, match="at most 3"):
        adapt(LONG * 3, SHORT, THREADS)


def test_a_word_longer_than_a_post_is_refused_with_a_message():
    with pytest.raises(AdaptationError, match="too long"):
        adapt("https://example.org/" + "a" * 80, SHORT, THREADS)


def test_length_is_counted_the_way_the_network_counts():
    limits = Limits(max_length=30, length_method="characters", url_length=23)
    # 60 characters as written, but the link counts 23: "Info: " (6) + 23 = 29.
    assert adapt("Info: https://example.org/" + "x" * 34, limits, NO_THREADS) == [
        "Info: https://example.org/" + "x" * 34
    ]


def test_a_network_without_a_limit_takes_everything_in_one_part():
    assert adapt(LONG * 10, Limits(), NO_THREADS) == [LONG.strip() + (" " + LONG.strip()) * 9]


def test_the_preview_says_how_many_characters_are_left():
    result = preview("Hola", SHORT, THREADS)
    assert result.error == ""
    assert [(part.length, part.remaining) for part in result.parts] == [(4, 46)]


def test_the_preview_explains_a_refusal():
    result = preview(LONG, SHORT, NO_THREADS)
    assert result.parts == ()
    assert "shorten it by" in result.error
