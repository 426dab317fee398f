from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pregonero.channels.connectors.base import Limits
from pregonero.checks.engine import RULE_IDS, blocking, run_checks
from pregonero.checks.model import LanguagePolicy, MediaInput, RuleSettings, VariantInput
from pregonero.checks.tests.helpers import IN_CAMPAIGN, findings, post

ACHIEVEMENT = "Gracias a la inversión de 2 millones, hemos finalizado las obras."


def test_an_achievement_scheduled_in_a_campaign_is_blocked_citing_the_article():
    blocks = blocking(findings(post(ACHIEVEMENT, when=IN_CAMPAIGN)))
    assert {f.rule for f in blocks} == {"ELEC-2"}
    assert all("LOREG art. 50.2" in f.source for f in blocks)
    assert [f.evidence for f in blocks] == [("Gracias a la inversión",), ("hemos finalizado",)]


def test_the_same_achievement_outside_a_period_only_warns_on_neutrality():
    found = findings(post(ACHIEVEMENT))
    assert blocking(found) == []
    assert {(f.rule, f.severity, f.source) for f in found} == {("NEUT-1", "warn", "Ley 29/2005 art. 4.1.a")}


def test_a_missing_image_description_blocks():
    found = findings(post("Así ha quedado el parque.", media=(MediaInput("image"),)), "A11Y-1")
    assert [f.severity for f in found] == ["block"]


def test_a_dni_with_its_letter_is_caught_and_one_with_a_wrong_letter_is_not():
    assert [f.evidence for f in findings(post("Mi DNI es 12345678Z."), "DATA-1")] == [("12345678Z",)]
    assert findings(post("Mi DNI es 12345678A."), "DATA-1") == []


def test_every_span_points_at_the_words_it_quotes():
    text = "Hoy el alcalde inaugura el centro. El Gobierno central nos abandona. Llama al 612 345 678."
    for f in findings(post(text, when=IN_CAMPAIGN)):
        if f.span is not None and f.evidence:
            assert text[f.span[0] : f.span[1]] == f.evidence[0]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Hem aconseguit reduir l'atur a la meitat.", "NEUT-1"),
        ("Xa é unha realidade o novo parque.", "NEUT-1"),
        ("La GENERALITAT IGNORA a Vilanova.", "NEUT-2"),
        ("Plazas para minusválidos en la calle Mayor.", "NEUT-3"),
        ("Presentación del PMUS el jueves.", "A11Y-5"),
        ("Nuevo curso de pintura. #cursodepinturavilanova", "A11Y-4"),
    ],
)
def test_rules_fire_on_their_words_in_any_language(text, rule):
    assert findings(post(text), rule)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Inauguración de la exposición de fotografía, el viernes a las 19 h.", "ELEC-2"),
        ("El nuevo centro de salud abre el lunes de 8 a 21 h.", "ELEC-2"),
        ("Los Moros y Cristianos desfilan el domingo.", "NEUT-3"),
        ("El estado de la carretera es malo: circula con precaución.", "NEUT-2"),
        ("Podemos ayudarte con el trámite.", "NEUT-4"),
        ("Presentación del Plan de Movilidad Urbana Sostenible (PMUS) el jueves.", "A11Y-5"),
        ("Paga en la cuenta ES60 0049 1500 0512 3456 7892 antes del día 5.", "A11Y-5"),
    ],
)
def test_rules_stay_quiet_on_neutral_uses(text, rule):
    check = post(text, when=IN_CAMPAIGN, settings=RuleSettings(party_terms=("Podemos", "PP")))
    assert findings(check, rule) == []


def test_party_terms_match_their_case_outside_a_sentence_start():
    check = post(
        "Reunión con Podemos y el PP. Podemos ayudarte.", settings=RuleSettings(party_terms=("Podemos", "PP"))
    )
    assert [f.evidence for f in findings(check, "NEUT-4")] == [("Podemos",), ("PP",)]


def test_a_repost_of_praise_in_a_campaign_is_blocked_and_points_into_the_quoted_text():
    quoted = "¡Récord de empleo gracias al alcalde!"
    found = findings(
        post("", when=IN_CAMPAIGN, quoted_text=quoted, is_repost=True, policy=LanguagePolicy()), "ELEC-3"
    )
    assert [quoted[f.span[0] : f.span[1]] for f in found] == ["Récord", "gracias al alcalde"]
    assert all(f.severity == "block" for f in found)


@pytest.mark.parametrize(
    ("text", "category", "blocked"),
    [
        ("Mercado de artesanía en la plaza.", "", True),
        ("Consulta tu colegio electoral en la web del censo.", "", False),
        ("Alerta roja por lluvias: no salgan de casa.", "", False),
        ("Autobús gratuito a las pedanías.", "voting_logistics", False),
        ("Consulta tu colegio electoral.", "culture", True),
    ],
)
def test_reflection_day_allows_only_emergencies_and_voting_logistics(text, category, blocked):
    reflection_day = datetime(2027, 5, 22, 10, tzinfo=UTC)
    assert bool(findings(post(text, when=reflection_day, category=category), "ELEC-5")) is blocked


def test_a_post_scheduled_into_a_period_that_has_not_opened_warns_that_it_will_be_held():
    check = post("Mercado de artesanía.", when=IN_CAMPAIGN, now=datetime(2027, 3, 1, tzinfo=UTC))
    assert [f.severity for f in findings(check, "ELEC-4")] == ["warn"]
    assert [f.severity for f in findings(check, "ELEC-1")] == ["info"]


def test_without_a_date_there_are_no_election_findings():
    check = post(ACHIEVEMENT, scheduled_at=None, now=None)
    assert not [f for f in run_checks(check) if f.rule.startswith("ELEC")]


def test_a_required_language_missing_blocks_and_a_version_in_another_language_warns():
    check = post(
        "Demà es tallarà l'aigua al carrer Major per una reparació urgent.",
        policy=LanguagePolicy(("es", "ca")),
    )
    assert {(f.rule, f.severity, f.language) for f in findings(check) if f.rule.startswith("LANG")} == {
        ("LANG-1", "block", "ca"),
        ("LANG-2", "warn", "es"),
    }


def test_a_channel_without_a_required_language_variant_blocks():
    check = post(
        "Corte de agua mañana en la calle Mayor.",
        texts={"es": "Corte de agua mañana en la calle Mayor.", "ca": "Tall d'aigua demà al carrer Major."},
        policy=LanguagePolicy(("es", "ca")),
        variants=(VariantInput("mastodon", "es", ("Corte de agua mañana en la calle Mayor.",)),),
    )
    assert [(f.channel, f.language) for f in findings(check, "LANG-1")] == [("mastodon", "ca")]


def test_the_organisations_own_contacts_are_not_personal_data():
    check = post(
        "Llama al 961 234 567 o escribe a padron@vilanovademar.es; urgencias en el 612 345 678.",
        settings=RuleSettings(own_contacts=("961234567", "vilanovademar.es")),
    )
    assert [f.evidence for f in findings(check, "DATA-1")] == [("612 345 678",)]


def test_a_name_next_to_a_full_dni_is_blocked_under_the_seventh_additional_provision():
    found = findings(post("Adjudicada a María López Ferrer, DNI 45678912S."), "DATA-2")
    assert [(f.severity, f.source) for f in found] == [("block", "LOPDGDD disp. adic. 7ª")]


@pytest.mark.parametrize(
    ("media", "rule", "severity"),
    [
        (MediaInput("image", "IMG_2041.jpg"), "A11Y-1", "warn"),
        (MediaInput("video"), "A11Y-2", "warn"),
        (MediaInput("image", "Niños en el patio.", shows_minors=True), "DATA-3", "block"),
    ],
)
def test_media_rules(media, rule, severity):
    found = findings(
        post("Jornada de puertas abiertas en el colegio Cervantes este sábado.", media=(media,)), rule
    )
    assert [f.severity for f in found] == [severity]


MASTODON = Limits(
    max_length=500,
    url_length=23,
    max_thread=2,
    max_media=1,
    max_image_bytes=1_000_000,
    image_types=("image/jpeg",),
)


@pytest.mark.parametrize(
    ("parts", "media", "expected"),
    [
        (("a" * 500,), (), []),
        (("a" * 501,), (), ["LIMIT-1"]),
        (("Mira https://vilanovademar.es/" + "x" * 600,), (), []),
        (("uno", "dos", "tres"), (), ["LIMIT-4"]),
        (("foto",), (0, 1), ["LIMIT-2"]),
        (("foto",), (2,), ["LIMIT-3", "LIMIT-3"]),
    ],
)
def test_network_limits_as_the_connector_declares_them(parts, media, expected):
    files = (
        MediaInput("image", "Una plaza.", size=10, mime="image/jpeg"),
        MediaInput("image", "Un parque.", size=10, mime="image/jpeg"),
        MediaInput("image", "Un puerto.", size=2_000_000, mime="image/webp"),
    )
    check = post("Texto.", variants=(VariantInput("mastodon", "es", parts, MASTODON, media),), media=files)
    assert sorted(f.rule for f in run_checks(check) if f.rule.startswith("LIMIT")) == expected


def test_switched_off_rules_disappear_and_overrides_change_severity():
    settings = RuleSettings(disabled=frozenset({"NEUT-1"}), severity={"ELEC-2": "warn"})
    found = findings(post(ACHIEVEMENT, when=IN_CAMPAIGN, settings=settings))
    assert "NEUT-1" not in {f.rule for f in found}
    assert {f.severity for f in found if f.rule == "ELEC-2"} == {"warn"}


def test_findings_come_blocks_first_then_warnings_then_notes_in_text_order():
    check = post(ACHIEVEMENT + " #obrasdelpolideportivo", when=IN_CAMPAIGN, media=(MediaInput("image"),))
    found = run_checks(check)
    ranks = [("block", "warn", "info").index(f.severity) for f in found]
    assert ranks == sorted(ranks)
    assert [f.span for f in found if f.rule == "ELEC-2"] == sorted(
        f.span for f in found if f.rule == "ELEC-2"
    )


def test_messages_follow_the_active_language():
    from django.utils import translation

    with translation.override("es"):
        message = findings(post("Así ha quedado el parque.", media=(MediaInput("image"),)), "A11Y-1")[
            0
        ].message
    assert isinstance(message, str) and message


def test_every_rule_id_is_one_rules_md_or_the_limits_define():
    assert all(rule.split("-")[0] in {"ELEC", "NEUT", "A11Y", "LANG", "DATA", "LIMIT"} for rule in RULE_IDS)
    assert len(set(RULE_IDS)) == len(RULE_IDS)


def test_a_variant_part_that_differs_from_its_text_is_checked_on_its_own():
    check = replace(
        post("Corte de agua mañana."),
        variants=(VariantInput("x", "es", ("Récord de cortes de agua este mes.",)),),
    )
    assert [(f.channel, f.part) for f in findings(check, "NEUT-1")] == [("x", 0)]
