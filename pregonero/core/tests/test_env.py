"""Configuration readers: values from variables or files, typed, with clear errors."""

from __future__ import annotations

import stat

import pytest

from pregonero import env
from pregonero.env import ConfigError


def test_a_missing_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("PREGONERO_X", raising=False)
    assert env.string("PREGONERO_X", "fallback") == "fallback"


def test_a_file_named_by_name_file_gives_the_value_stripped(monkeypatch, tmp_path):
    secret_file = tmp_path / "x"
    secret_file.write_text("  from the file\n")
    monkeypatch.setenv("PREGONERO_X", "from the variable")
    monkeypatch.setenv("PREGONERO_X_FILE", str(secret_file))
    assert env.string("PREGONERO_X") == "from the file"


def test_an_unreadable_file_is_a_config_error_naming_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("PREGONERO_X_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigError, match="PREGONERO_X_FILE"):
        env.string("PREGONERO_X")


@pytest.mark.parametrize(
    ("given", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("ON", True), ("0", False), ("false", False), ("", False)],
)
def test_booleans_accept_the_usual_spellings(monkeypatch, given, expected):
    monkeypatch.setenv("PREGONERO_FLAG", given)
    assert env.boolean("PREGONERO_FLAG", not expected) is expected


def test_a_bad_boolean_is_a_config_error_with_the_value(monkeypatch):
    monkeypatch.setenv("PREGONERO_FLAG", "maybe")
    with pytest.raises(ConfigError, match="PREGONERO_FLAG.*'maybe'"):
        env.boolean("PREGONERO_FLAG")


def test_a_bad_integer_is_a_config_error_with_the_value(monkeypatch):
    monkeypatch.setenv("PREGONERO_N", "ten")
    with pytest.raises(ConfigError, match="PREGONERO_N.*'ten'"):
        env.integer("PREGONERO_N", 3)


def test_an_empty_integer_gives_the_default(monkeypatch):
    monkeypatch.setenv("PREGONERO_N", " ")
    assert env.integer("PREGONERO_N", 3) == 3


def test_lists_are_comma_separated_without_blanks(monkeypatch):
    monkeypatch.setenv("PREGONERO_HOSTS", "a.example, b.example,,")
    assert env.strings("PREGONERO_HOSTS") == ["a.example", "b.example"]


def test_a_secret_is_generated_once_and_readable_only_by_its_owner(monkeypatch, tmp_path):
    monkeypatch.delenv("PREGONERO_SECRET", raising=False)
    path = tmp_path / "data" / "secret"
    calls = iter(["first", "second"])
    assert env.secret("PREGONERO_SECRET", path, lambda: next(calls)) == "first"
    assert env.secret("PREGONERO_SECRET", path, lambda: next(calls)) == "first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [item.name for item in path.parent.iterdir()] == ["secret"]


def test_a_secret_in_the_environment_wins_over_the_file(monkeypatch, tmp_path):
    path = tmp_path / "secret"
    path.write_text("from the file\n")
    monkeypatch.setenv("PREGONERO_SECRET", "from the variable")
    assert env.secret("PREGONERO_SECRET", path, lambda: "generated") == "from the variable"


def test_a_secret_that_another_process_wrote_first_is_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("PREGONERO_SECRET", raising=False)
    path = tmp_path / "secret"

    def generate_while_another_process_wins() -> str:
        path.write_text("the other process's\n")
        return "ours"

    assert env.secret("PREGONERO_SECRET", path, generate_while_another_process_wins) == "the other process's"


def test_an_empty_secret_file_is_a_config_error(monkeypatch, tmp_path):
    monkeypatch.delenv("PREGONERO_SECRET", raising=False)
    path = tmp_path / "secret"
    path.write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        env.secret("PREGONERO_SECRET", path, lambda: "generated")
