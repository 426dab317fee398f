"""The interface catalogues: complete for es and ca, consistent placeholders everywhere."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse

from pregonero.catalogues import LOCALE, compile_all

COMPLETE = ["es", "ca"]
ALL = ["es", "ca", "gl", "eu", "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}")


def catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


@pytest.mark.parametrize("language", COMPLETE)
def test_the_catalogue_is_complete(language):
    missing = [ids(m)[0] for m in catalogue(language) if m.id and (m.fuzzy or not all(strings(m)))]
    assert missing == []


@pytest.mark.parametrize("language", ALL)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        expected = sorted(PLACEHOLDER.findall(ids(message)[-1]))
        for text in strings(message):
            # Singular forms may drop the count ("one hour"), never add or rename a placeholder.
            found = sorted(PLACEHOLDER.findall(text))
            if text and not set(found) <= set(expected) | set(PLACEHOLDER.findall(ids(message)[0])):
                wrong.append((ids(message)[0], text))
            if text and len(strings(message)) == 1 and found != expected:
                wrong.append((ids(message)[0], text))
    assert wrong == []


@pytest.mark.parametrize("language", COMPLETE)
def test_the_sign_in_page_speaks_the_default_language(db, settings, language):
    settings.LANGUAGE_CODE = language
    page = Client().get(reverse("accounts:login")).content.decode()
    heading = catalogue(language).get("Sign in").string
    assert heading != "Sign in"
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page


def test_every_catalogue_compiles(tmp_path: Path):
    compile_all()
    for language in ALL:
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").stat().st_size > 0
