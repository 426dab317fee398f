"""Machine translation with the real Apertium (installed by scripts/ensure-apertium), its
protection of URLs, mentions, hashtags and e-mails, and its typed failures."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pregonero.text import translate as mt
from pregonero.text.translate import (
    ApertiumMissing,
    PairUnavailable,
    TranslationFailed,
    TranslationTimeout,
    protect,
    restore,
    translate,
    variant_for,
)

NOTICE = (
    "El Ayuntamiento informa: corte de agua el 12/03 de 8:00 a 14:00 h en la calle Mayor. "
    "Más información en https://vilanova.es/avisos?id=3&tipo=agua. Dudas: aguas@vilanova.es "
    "o @AjuntamentVilanova #CorteDeAgua"
)
KEPT = (
    "https://vilanova.es/avisos?id=3&tipo=agua",
    "aguas@vilanova.es",
    "@AjuntamentVilanova",
    "#CorteDeAgua",
)


def test_spanish_to_catalan():
    assert (
        translate("El servicio de biblioteca abre hoy.", "es", "ca") == "El servei de biblioteca obre avui."
    )


def test_spanish_to_valencian_uses_valencian_forms():
    assert translate("El servicio abre hoy.", "es", "ca", variant="valencia") == "El servei obri hui."


def test_catalan_to_spanish():
    assert (
        translate("L'ajuntament obre la piscina demà.", "ca", "es")
        == "El ayuntamiento abre la piscina mañana."
    )


def test_spanish_to_galician_and_back():
    galician = translate("El ayuntamiento abre la piscina mañana.", "es", "gl")
    assert galician == "O concello abre a piscina mañá."
    assert translate(galician, "gl", "es") == "El ayuntamiento abre la piscina mañana."


@pytest.mark.parametrize(
    ("source", "target", "variant"), [("es", "ca", None), ("es", "ca", "valencia"), ("es", "gl", None)]
)
def test_urls_mails_mentions_and_hashtags_come_out_untouched(source, target, variant):
    result = translate(NOTICE, source, target, variant=variant)
    for passage in KEPT:
        assert result.count(passage) == 1, (passage, result)
    assert "calle" not in result  # the rest was translated


def test_galician_would_break_an_unprotected_url_and_mention():
    # Why the protection exists: es-gl reads ".es" as a verb and "@" as sentence markup.
    raw = mt._run("apertium", ["-u", "es-gl"], "Mira https://ejemplo.es/a @ajuntament", 10).stdout
    assert "https://ejemplo.es/a" not in raw or "@ajuntament" not in raw
    assert (
        translate("Mira https://ejemplo.es/a @ajuntament", "es", "gl")
        == "Mira https://ejemplo.es/a @ajuntament"
    )


def test_markup_like_text_line_breaks_and_ampersands_survive():
    text = "Primera línea <b>sin html</b> & más &amp;\n\nTercera línea 😀\n"
    assert translate(text, "es", "ca") == "Primera línia <b>sense html</b> & més &amp;\n\nTercera línia 😀\n"


def test_blank_text_is_returned_without_running_apertium():
    assert translate("  \n", "es", "ca", binary="/nonexistent/apertium") == "  \n"


def test_there_is_no_basque_target():
    with pytest.raises(PairUnavailable):
        translate("Hola", "es", "eu")
    assert not mt.can_translate("es", "eu")
    assert mt.can_translate("es", "ca") and mt.can_translate("gl", "es")


def test_a_mode_apertium_does_not_have_is_pair_unavailable(monkeypatch):
    monkeypatch.setitem(mt.MODES, ("es", "eu", None), "spa-eus")
    with pytest.raises(PairUnavailable) as caught:
        translate("Hola", "es", "eu")
    assert (caught.value.source, caught.value.target) == ("es", "eu")


def test_missing_program_is_apertium_missing(tmp_path):
    with pytest.raises(ApertiumMissing):
        translate("Hola", "es", "ca", binary=str(tmp_path / "apertium"))


def _script(tmp_path, body: str) -> str:
    path = tmp_path / "fake-apertium"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


def test_slow_apertium_is_stopped_with_its_children(tmp_path):
    pid_file = tmp_path / "child.pid"
    binary = _script(tmp_path, f"sleep 30 & echo $! > {pid_file}; wait")
    started = time.monotonic()
    with pytest.raises(TranslationTimeout):
        translate("Hola", "es", "ca", binary=binary, timeout=0.5)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    for _attempt in range(50):  # the kernel reaps the killed child asynchronously
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.exists(f"/proc/{pid}")


def test_failing_apertium_is_translation_failed(tmp_path):
    binary = _script(tmp_path, 'if [ "$1" = "-l" ]; then echo spa-cat; exit 0; fi; echo broken >&2; exit 3')
    with pytest.raises(TranslationFailed, match="broken"):
        translate("Hola", "es", "ca", binary=binary)


def test_apertium_without_the_pair_installed_is_pair_unavailable(tmp_path):
    binary = _script(tmp_path, 'if [ "$1" = "-l" ]; then echo cat-spa; exit 0; fi; exit 1')
    with pytest.raises(PairUnavailable):
        translate("Hola", "es", "ca", binary=binary)


def test_protect_replaces_each_passage_with_a_placeholder_and_escapes_the_rest():
    protected = protect("a < b @ana #Festa www.vilanova.es x@y.es")
    assert protected.kept == ("@ana", "#Festa", "www.vilanova.es", "x@y.es")
    assert protected.markup == (
        'a &lt; b <span data-keep="0"></span> <span data-keep="1"></span> '
        '<span data-keep="2"></span> <span data-keep="3"></span>'
    )


def test_a_mention_inside_an_email_or_url_is_kept_with_it():
    protected = protect("Escribe a info@vilanova.es o mira https://m.social/@vilanova#top.")
    assert protected.kept == ("info@vilanova.es", "https://m.social/@vilanova#top")


def test_restore_refuses_a_lost_or_doubled_placeholder():
    protected = protect("Hola @ana y @pau")
    with pytest.raises(TranslationFailed):
        restore(protected.markup.replace('<span data-keep="1"></span>', ""), protected.kept)
    with pytest.raises(TranslationFailed):
        restore(protected.markup + '<span data-keep="0"></span>', protected.kept)
    with pytest.raises(TranslationFailed):
        restore(protected.markup + '<span data-keep="7"></span>', protected.kept)


@given(st.text())
def test_protect_then_restore_gives_the_text_back(text):
    protected = protect(text)
    assert restore(protected.markup, protected.kept) == text


def test_valencian_for_catalan_in_the_valencian_community_only():
    assert variant_for("ca", "ES-VC") == "valencia"
    assert variant_for("ca", "ES-CT") is None
    assert variant_for("ca", None) is None
    assert variant_for("gl", "ES-VC") is None
