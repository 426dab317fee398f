"""Building the checks' input from a post or the composer, grouping findings, the gate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone, translation

from pregonero.compliance import preflight
from pregonero.compliance.tests.elections_now import (  # noqa: F401 (fixture)
    CAMPAIGN_DAY,
    hold_election_fixture,
    in_days,
)
from pregonero.publishing.models import CheckOverride, Media, PostText, Variant
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    plain_fixture,
    threads_fixture,
)
from pregonero.publishing.tests.fakes import MP4, PNG

ACHIEVEMENT = "Gracias a la inversión de 2 millones, hemos finalizado las obras."
VALID_DNI = "12345678Z"
WRONG_DNI = "12345678A"


@pytest.fixture
def election(hold_election):
    """Vilanova bound by a local election; returns an instant in the middle of its campaign."""
    hold_election()
    return in_days(CAMPAIGN_DAY)


def test_the_input_carries_texts_variants_with_limits_and_the_organisation_context(make_post, ana, threads):
    post = make_post(ana, texts={"es": "  Corte de agua el lunes.  ", "ca": "Tall d'aigua dilluns."})
    check_input = preflight.input_for_post(post)
    assert check_input.texts == {"es": "Corte de agua el lunes.", "ca": "Tall d'aigua dilluns."}
    assert {(v.channel, v.language, v.parts) for v in check_input.variants} == {
        ("Fil", "es", ("Corte de agua el lunes.",)),
        ("Fil", "ca", ("Tall d'aigua dilluns.",)),
    }
    assert all(v.limits == threads.get_connector().limits for v in check_input.variants)
    assert check_input.policy.required == ("es", "ca")
    assert check_input.now is not None and check_input.scheduled_at is None


def test_the_input_describes_each_media_file_and_attaches_it_where_the_network_takes_media(
    make_post, ana, threads, plain
):
    post = make_post(ana, channels=[threads, plain])
    Media.objects.create(
        organisation=post.organisation,
        post=post,
        file=SimpleUploadedFile("foto.png", PNG),
        kind="image",
        mime="image/png",
        size=len(PNG),
        description="Operarios en la plaza.",
        shows_minors=True,
        consent_recorded=True,
        uploaded_by=ana,
    )
    Media.objects.create(
        organisation=post.organisation,
        post=post,
        file=SimpleUploadedFile("video.mp4", MP4),
        kind="video",
        mime="video/mp4",
        size=len(MP4),
        captions=SimpleUploadedFile("video.vtt", b"WEBVTT"),
        uploaded_by=ana,
    )
    check_input = preflight.input_for_post(post)
    image, video = check_input.media
    assert (image.kind, image.description, image.shows_minors, image.consent_recorded) == (
        "image",
        "Operarios en la plaza.",
        True,
        True,
    )
    assert (image.mime, image.size) == ("image/png", len(PNG))
    assert (video.kind, video.has_captions) == ("video", True)
    assert all(v.media == (0, 1) for v in check_input.variants)


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("service", "service"),
        ("agenda", "agenda"),
        ("emergency", "emergency"),
        ("campaign", "institutional"),
        ("other", ""),
    ],
)
def test_publishing_categories_map_to_the_checks_categories(make_post, ana, category, expected):
    post = make_post(ana, category=category)
    assert preflight.input_for_post(post).category == expected


def test_the_time_checked_is_the_one_given_else_the_posts_own(make_post, ana):
    post = make_post(ana)
    post.scheduled_at = timezone.now() + timedelta(days=3)
    post.save()
    assert preflight.input_for_post(post).scheduled_at == post.scheduled_at
    later = timezone.now() + timedelta(days=9)
    assert preflight.input_for_post(post, when=later).scheduled_at == later


def test_unreviewed_machine_translations_are_named(make_post, ana):
    post = make_post(ana)
    PostText.objects.filter(post=post, language="ca").update(machine_translated=True)
    assert preflight.input_for_post(post).machine_translated == frozenset({"ca"})


def test_the_draft_input_adapts_the_unsaved_texts_to_each_channel(ana, vilanova, threads):
    check_input = preflight.input_for_draft(
        vilanova, texts={"es": ACHIEVEMENT, "ca": ""}, channels=[threads], category="campaign"
    )
    assert check_input.texts == {"es": ACHIEVEMENT}
    [variant] = check_input.variants
    assert len(variant.parts) == 2
    assert check_input.category == "institutional"
    assert check_input.media == ()


def test_the_draft_input_keeps_hand_edited_versions_media_and_untouched_machine_drafts(
    make_post, ana, vilanova, threads
):
    post = make_post(ana)
    Variant.objects.filter(post=post, language="es").update(edited=True, parts=["Editado a mano."])
    PostText.objects.filter(post=post, language="ca").update(machine_translated=True)
    Media.objects.create(
        organisation=vilanova,
        post=post,
        file=SimpleUploadedFile("foto.png", PNG),
        kind="image",
        mime="image/png",
        uploaded_by=ana,
    )
    unchanged = preflight.input_for_draft(
        vilanova,
        texts={"es": "Corte de agua el lunes.", "ca": "Tall d'aigua dilluns."},
        channels=[threads],
        category="service",
        post=post,
    )
    assert {v.language: v.parts for v in unchanged.variants}["es"] == ("Editado a mano.",)
    assert unchanged.machine_translated == frozenset({"ca"})
    assert len(unchanged.media) == 1
    edited = preflight.input_for_draft(
        vilanova,
        texts={"es": "Corte de agua el lunes.", "ca": "Tall d'aigua dimarts."},
        channels=[threads],
        category="service",
        post=post,
    )
    assert edited.machine_translated == frozenset()


def test_the_same_words_in_the_text_and_in_a_thread_part_are_one_issue(make_post, ana):
    post = make_post(ana, texts={"es": ACHIEVEMENT, "ca": "Tall d'aigua dilluns."})
    report = preflight.report_for_post(post)
    # The thread's first part, "Gracias a la inversión de 2 millones, hemos (1/2)", repeats them.
    [thanks] = [i for i in report.issues if i.rule == "NEUT-1" and i.evidence == ("Gracias a la inversión",)]
    assert {place.channel for place in thanks.places} == {None, "Fil"}
    assert thanks.where == [("Fil", 1)]
    assert thanks.severity == "warn"
    assert thanks.source == "Ley 29/2005 art. 4.1.a"


def test_a_valid_dni_blocks_and_one_with_a_wrong_letter_does_not(make_post, ana):
    valid = preflight.report_for_post(
        make_post(ana, texts={"es": f"DNI {VALID_DNI}.", "ca": "Hola a tothom."})
    )
    wrong = preflight.report_for_post(
        make_post(ana, texts={"es": f"DNI {WRONG_DNI}.", "ca": "Hola a tothom."})
    )
    assert [(i.rule, i.evidence) for i in valid.blocking()] == [("DATA-1", (VALID_DNI,))]
    assert not any(i.rule == "DATA-1" for i in wrong.issues)


def test_achievements_block_inside_a_campaign_and_only_warn_outside(make_post, ana, election):
    post = make_post(ana, texts={"es": ACHIEVEMENT, "ca": "Tall d'aigua dilluns."})
    inside = preflight.report_for_post(post, when=election)
    outside = preflight.report_for_post(post, when=timezone.now() + timedelta(days=2))
    assert {i.rule for i in inside.blocking()} == {"ELEC-2"}
    assert any("LOREG art. 50.2" in message for message in inside.refusals())
    assert outside.blocking() == []
    assert "NEUT-1" in {i.rule for i in outside.issues}


def test_the_fingerprint_follows_the_text_not_the_interface_language(make_post, ana):
    post = make_post(ana, texts={"es": f"DNI {VALID_DNI}.", "ca": "Hola a tothom."})
    with translation.override("es"):
        [spanish] = preflight.report_for_post(post).blocking()
    with translation.override("en"):
        [english] = preflight.report_for_post(post).blocking()
    assert spanish.message != english.message
    assert spanish.fingerprint == english.fingerprint
    PostText.objects.filter(post=post, language="es").update(body=f"Su DNI {VALID_DNI}.")
    [edited] = preflight.report_for_post(post).blocking()
    assert edited.fingerprint != english.fingerprint


def test_an_override_clears_its_block_and_an_election_one_only_once_confirmed(make_post, ana, pau, election):
    post = make_post(ana, texts={"es": f"{ACHIEVEMENT} DNI {VALID_DNI}.", "ca": "Tall d'aigua dilluns."})
    report = preflight.report_for_post(post, when=election)
    data = next(i for i in report.issues if i.rule == "DATA-1")
    finished = next(i for i in report.issues if i.rule == "ELEC-2" and i.evidence == ("hemos finalizado",))
    for issue in (data, finished):
        CheckOverride.objects.create(
            post=post,
            rule=issue.rule,
            fingerprint=issue.fingerprint,
            message=issue.message,
            reason="Interés público",
            requested_by=pau,
            needs_confirmation=issue.needs_second_approver,
        )
    blocking = {(i.rule, i.evidence) for i in preflight.report_for_post(post, when=election).blocking()}
    assert ("DATA-1", (VALID_DNI,)) not in blocking
    assert ("ELEC-2", ("hemos finalizado",)) in blocking
    CheckOverride.objects.filter(rule="ELEC-2").update(confirmed_by=ana, confirmed_at=timezone.now())
    blocking = {(i.rule, i.evidence) for i in preflight.report_for_post(post, when=election).blocking()}
    assert ("ELEC-2", ("hemos finalizado",)) not in blocking


def test_the_gate_leaves_to_publishing_what_publishing_already_refuses(make_post, ana):
    post = make_post(ana, texts={"es": "Corte de agua el lunes.", "ca": ""})
    report = preflight.report_for_post(post)
    assert "LANG-1" in {i.rule for i in report.blocking()}
    assert report.refusals() == []


def test_blocks_publishing_requires_cannot_be_overridden(make_post, ana):
    post = make_post(ana)
    PostText.objects.filter(post=post, language="ca").update(machine_translated=True)
    [translation_block] = [i for i in preflight.report_for_post(post).blocking() if i.rule == "LANG-3"]
    assert not translation_block.overridable


def test_overlapping_spans_merge_into_one_mark(make_post, ana, election):
    post = make_post(ana, texts={"es": ACHIEVEMENT, "ca": "Tall d'aigua dilluns."})
    report = preflight.report_for_post(post, when=election)
    marks = report.marks(ACHIEVEMENT, "es")
    assert [ACHIEVEMENT[m.start : m.end] for m in marks] == ["Gracias a la inversión", "hemos finalizado"]
    assert all({i.rule for i in m.issues} == {"ELEC-2", "NEUT-1"} for m in marks)


def test_the_marked_text_escapes_what_citizens_wrote(make_post, ana):
    text = f"<script>alert(1)</script> DNI {VALID_DNI}"
    post = make_post(ana, texts={"es": text, "ca": "Hola a tothom."})
    report = preflight.report_for_post(post)
    html = Template("{% load findings %}{% marked text report 'es' %}").render(
        Context({"text": text, "report": report})
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert f"<mark>{VALID_DNI}</mark>" in html
    assert 'href="#finding-1"' in html
