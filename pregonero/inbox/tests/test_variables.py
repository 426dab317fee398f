"""Saved-reply variables are filled as plain text and unknown ones are named, never guessed."""

from __future__ import annotations

import pytest

from pregonero.inbox.variables import UnknownVariables, fill, unknown_in, variables_in


def test_known_variables_are_replaced():
    assert fill(
        "Hola {citizen_name}, som {organisation}.", {"citizen_name": "Maria", "organisation": "Vilanova"}
    ) == ("Hola Maria, som Vilanova.")


def test_a_filled_value_is_not_filled_again():
    assert fill("{citizen_name}", {"citizen_name": "{organisation}", "organisation": "X"}) == "{organisation}"


def test_unknown_variables_are_all_named():
    with pytest.raises(UnknownVariables) as raised:
        fill("{nombre} y {fecha} y {today}", {"today": "1"})
    assert raised.value.names == ["nombre", "fecha"]


def test_format_syntax_is_left_as_written():
    text = "{0} {a.b} {citizen_name!r} {}"
    assert variables_in(text) == []
    assert fill(text, {}) == text


def test_unknown_in_checks_against_the_reply_variables():
    assert unknown_in("{agent_name} {today} {dni}") == ["dni"]
