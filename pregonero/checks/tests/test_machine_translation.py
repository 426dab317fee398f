"""LANG-3: an unreviewed machine translation never goes out."""

from dataclasses import replace

from pregonero.checks.engine import blocking
from pregonero.checks.model import LanguagePolicy, RuleSettings
from pregonero.checks.tests.helpers import findings, post

TEXTS = {
    "es": "Mañana se cortará el agua en la calle Mayor de 8 a 14 h.",
    "ca": "Demà es tallarà l'aigua al carrer Major de 8 a 14 h.",
}


def bilingual(**changes):
    return replace(post(TEXTS["es"]), **{"texts": TEXTS, "policy": LanguagePolicy(("es", "ca")), **changes})


def test_an_unreviewed_machine_translation_blocks_with_its_source():
    found = findings(bilingual(machine_translated=frozenset({"ca"})), "LANG-3")
    assert [(f.severity, f.language, f.span) for f in found] == [("block", "ca", (0, len(TEXTS["ca"])))]
    assert "Ley 29/2005 art. 9" in found[0].source and "LANG-3" in found[0].source
    assert "machine translation" in found[0].message and "ca" in found[0].message
    assert [f.rule for f in blocking(findings(bilingual(machine_translated=frozenset({"ca"}))))] == ["LANG-3"]


def test_reviewed_texts_do_not_fire():
    assert findings(bilingual(), "LANG-3") == []


def test_each_unreviewed_language_is_reported_in_order():
    texts = {**TEXTS, "gl": "Mañá cortarase a auga na rúa Maior."}
    found = findings(bilingual(texts=texts, machine_translated=frozenset({"gl", "ca"})), "LANG-3")
    assert [f.language for f in found] == ["ca", "gl"]


def test_a_flag_on_a_language_without_text_does_not_fire():
    assert findings(bilingual(machine_translated=frozenset({"gl"})), "LANG-3") == []


def test_the_rule_can_be_switched_off_like_any_other():
    check = bilingual(
        machine_translated=frozenset({"ca"}), settings=RuleSettings(disabled=frozenset({"LANG-3"}))
    )
    assert findings(check, "LANG-3") == []
