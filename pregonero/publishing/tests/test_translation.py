"""Machine translation of a post's texts: the service, its review flag and the pages (LANG-3).

Translations run the real Apertium (installed by scripts/ensure-apertium); failures are made
by pointing APERTIUM_BINARY at a missing or a slow program.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.publishing import review, services, translation
from pregonero.publishing.models import PostState, PostText
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    threads_fixture,
)
from pregonero.text.translate import ApertiumMissing

SPANISH = "El servicio de biblioteca abre hoy. Más información en https://vilanova.example/biblio #Biblioteca"
VALENCIAN = "El servei de biblioteca obri hui. Més informació en https://vilanova.example/biblio #Biblioteca"
CATALAN = "El servei de biblioteca obre avui. Més informació en https://vilanova.example/biblio #Biblioteca"


@pytest.fixture
def valencian_town(vilanova):
    vilanova.region = "ES-VC"
    vilanova.save(update_fields=["region"])
    return vilanova


@pytest.fixture
def spanish_only(make_post, ana):
    """A draft of vilanova (Spanish and Catalan official) written only in Spanish."""
    return make_post(ana, texts={"es": SPANISH})


def url(name: str, post) -> str:
    return reverse(f"publishing:{name}", args=[post.organisation.slug, post.pk])


def composer_data(post, **texts) -> dict:
    return {
        "revision": post.revision,
        "title": post.title,
        "category": post.category,
        "tags": "",
        "department": post.department_id or "",
        "channels": list(post.channels.values_list("pk", flat=True)),
        **{f"text_{language}": body for language, body in texts.items()},
    }


# --- The service -----------------------------------------------------------------------------


def test_an_editor_drafts_the_valencian_version_flagged_with_variants_revision_and_audit(
    valencian_town, spanish_only, ana
):
    before = spanish_only.revision
    text = translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    assert (text.language, text.body, text.machine_translated) == ("ca", VALENCIAN, True)
    spanish_only.refresh_from_db()
    assert spanish_only.revision == before + 1
    assert spanish_only.revisions.first().snapshot["texts"]["ca"] == VALENCIAN
    variant = spanish_only.variants.get(language="ca")
    assert variant.body == VALENCIAN and variant.parts[0].startswith("El servei de biblioteca obri hui.")
    entry = AuditEntry.objects.filter(action="post.translated").get()
    assert entry.details == {"source": "es", "target": "ca", "engine": "apertium spa-cat_valencia"}
    assert entry.changes["texts"][1]["ca"] == VALENCIAN


def test_valencian_comes_from_the_region_of_the_council_above(diputacion, vilanova, spanish_only, ana):
    diputacion.region = "ES-VC"
    diputacion.save(update_fields=["region"])
    assert translation.region_of(vilanova) == "ES-VC"
    assert translation.translate_text(spanish_only, actor=ana, source="es", target="ca").body == VALENCIAN


def test_outside_the_valencian_community_catalan_is_central_catalan(spanish_only, ana):
    assert translation.translate_text(spanish_only, actor=ana, source="es", target="ca").body == CATALAN


def test_catalan_to_spanish(make_post, ana):
    post = make_post(ana, texts={"ca": "L'ajuntament obre la piscina demà."})
    text = translation.translate_text(post, actor=ana, source="ca", target="es")
    assert text.body == "El ayuntamiento abre la piscina mañana."


def test_a_contributor_may_not_translate(spanish_only, carles):
    with pytest.raises(PermissionDenied):
        translation.translate_text(spanish_only, actor=carles, source="es", target="ca")


def test_only_official_languages_with_a_text_are_translated(spanish_only, ana):
    for source, target in (("es", "gl"), ("ca", "es"), ("es", "es")):
        with pytest.raises(ValidationError):
            translation.translate_text(spanish_only, actor=ana, source=source, target=target)


def test_translating_an_approved_post_sends_it_back_to_draft(make_post, ana, pau):
    post = make_post(ana, texts={"es": SPANISH, "ca": CATALAN})
    review.submit(post, actor=ana)
    review.approve(post, actor=pau)
    translation.translate_text(post, actor=ana, source="es", target="ca")
    post.refresh_from_db()
    assert (post.state, post.approved_by) == (PostState.DRAFT, None)


def test_a_source_text_changed_during_the_translation_is_refused(spanish_only, ana, monkeypatch):
    def translate_while_someone_edits(text, *args, **kwargs):
        PostText.objects.filter(post=spanish_only, language="es").update(body="Otro texto.")
        return "Un altre text."

    monkeypatch.setattr(translation, "translate", translate_while_someone_edits)
    with pytest.raises(ValidationError):
        translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    assert not spanish_only.texts.filter(language="ca").exists()


def test_without_apertium_nothing_changes(spanish_only, ana, settings, tmp_path):
    settings.APERTIUM_BINARY = str(tmp_path / "no-apertium")
    revision = spanish_only.revision
    with pytest.raises(ApertiumMissing):
        translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    spanish_only.refresh_from_db()
    assert spanish_only.revision == revision
    assert not spanish_only.texts.filter(language="ca").exists()
    assert not AuditEntry.objects.filter(action="post.translated").exists()


def save_texts(post, actor, **texts):
    return services.save_post(
        post,
        actor=actor,
        revision=post.revision,
        title=post.title,
        department=post.department,
        category=post.category,
        tags=post.tags,
        channels=list(post.channels.all()),
        texts=texts,
    )


def test_a_person_editing_the_translation_clears_the_flag(spanish_only, ana):
    translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    spanish_only.refresh_from_db()
    save_texts(spanish_only, ana, es=SPANISH, ca=CATALAN + " Us hi esperem!")
    assert spanish_only.texts.get(language="ca").machine_translated is False


def test_saving_the_form_untouched_keeps_the_flag_even_with_browser_line_breaks(make_post, ana):
    post = make_post(ana, texts={"es": "Primera línea.\nSegunda línea."})
    translation.translate_text(post, actor=ana, source="es", target="ca")
    post.refresh_from_db()
    drafted = post.texts.get(language="ca").body
    save_texts(post, ana, es="Primera línea.\r\nSegunda línea.", ca=drafted.replace("\n", "\r\n"))
    assert post.texts.get(language="ca").machine_translated is True


def test_editing_another_language_keeps_the_flag(spanish_only, ana):
    translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    spanish_only.refresh_from_db()
    drafted = spanish_only.texts.get(language="ca").body
    save_texts(spanish_only, ana, es=SPANISH + " Os esperamos.", ca=drafted)
    assert spanish_only.texts.get(language="ca").machine_translated is True


def test_confirming_clears_the_flag_and_is_audited(spanish_only, ana, carles):
    translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    translation.confirm_translation(spanish_only, actor=carles, language="ca")
    assert spanish_only.texts.get(language="ca").machine_translated is False
    entry = AuditEntry.objects.get(action="post.translation_confirmed")
    assert (entry.details, entry.changes) == ({"language": "ca"}, {"machine_translated": [True, False]})
    with pytest.raises(ValidationError):
        translation.confirm_translation(spanish_only, actor=carles, language="ca")


def test_offers_name_the_languages_each_text_can_come_from(spanish_only, ana):
    assert [
        (o.target, o.sources, o.exists, o.machine_translated) for o in translation.offers(spanish_only)
    ] == [
        ("ca", ("es",), False, False),
    ]
    translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    assert [
        (o.target, o.sources, o.exists, o.machine_translated) for o in translation.offers(spanish_only)
    ] == [
        ("es", ("ca",), True, False),
        ("ca", ("es",), True, True),
    ]


# --- The pages -------------------------------------------------------------------------------


def test_the_post_page_translates_and_shows_the_review_flag_until_confirmed(
    client_for, valencian_town, spanish_only, ana
):
    client = client_for(ana)
    page = client.get(url("detail", spanish_only)).content.decode()
    assert "Translate from Spanish" in page
    response = client.post(url("translate", spanish_only), {"translate": "es:ca"}, follow=True)
    assert response.redirect_chain[-1][0] == url("detail", spanish_only)
    content = response.content.decode()
    assert "drafted by machine translation from Spanish" in content
    assert "machine translated — review before publishing" in content
    assert "(Valencian)" in content
    assert VALENCIAN.split(".")[0] in content
    response = client.post(url("translation_confirm", spanish_only), {"confirm": "ca"}, follow=True)
    content = response.content.decode()
    assert "translation has been confirmed" in content
    assert "machine translated — review before publishing" not in content


def test_the_composer_saves_what_was_typed_then_translates_it(client_for, spanish_only, ana):
    client = client_for(ana)
    page = client.get(url("edit", spanish_only)).content.decode()
    assert f'formaction="{url("translate", spanish_only)}"' in page
    data = composer_data(spanish_only, es="El mercado abre hoy.", ca="")
    response = client.post(url("translate", spanish_only), {**data, "translate": "es:ca"})
    assert response["Location"] == url("edit", spanish_only)
    assert spanish_only.texts.get(language="es").body == "El mercado abre hoy."
    catalan = spanish_only.texts.get(language="ca")
    assert (catalan.body, catalan.machine_translated) == ("El mercat obre avui.", True)


def test_a_stale_composer_is_shown_again_and_nothing_is_translated(client_for, spanish_only, ana):
    data = composer_data(spanish_only, es="Texto de Ana.", ca="")
    save_texts(spanish_only, ana, es="Texto guardado por otra persona.")
    response = client_for(ana).post(url("translate", spanish_only), {**data, "translate": "es:ca"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was translated" in content and "Someone saved this post after you opened it" in content
    assert "Texto de Ana." in content
    assert not spanish_only.texts.filter(language="ca").exists()


def test_confirming_from_the_composer_after_editing_keeps_the_edit(client_for, spanish_only, ana):
    translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    spanish_only.refresh_from_db()
    data = composer_data(spanish_only, es=SPANISH, ca="El servei obre avui, us hi esperem.")
    response = client_for(ana).post(
        url("translation_confirm", spanish_only), {**data, "confirm": "ca"}, follow=True
    )
    assert "the Catalan / Valencian text is yours now" in response.content.decode()
    catalan = spanish_only.texts.get(language="ca")
    assert (catalan.body, catalan.machine_translated) == ("El servei obre avui, us hi esperem.", False)


@pytest.mark.parametrize(
    ("binary", "message"),
    [
        ("missing", "Machine translation is not installed on this server"),
        ("slow", "took too long and was stopped"),
    ],
)
def test_a_translation_that_cannot_be_made_says_why_and_changes_nothing(
    client_for, spanish_only, ana, settings, tmp_path, binary, message
):
    if binary == "slow":
        program = tmp_path / "slow-apertium"
        program.write_text("#!/bin/sh\nexec sleep 30\n")
        program.chmod(0o755)
        settings.TRANSLATION_TIMEOUT_SECONDS = 0.3
    else:
        program = tmp_path / "missing"
    settings.APERTIUM_BINARY = str(program)
    revision = spanish_only.revision
    response = client_for(ana).post(url("translate", spanish_only), {"translate": "es:ca"}, follow=True)
    assert message in response.content.decode()
    spanish_only.refresh_from_db()
    assert spanish_only.revision == revision
    assert not spanish_only.texts.filter(language="ca").exists()


def test_no_translate_buttons_for_contributors_or_readers_but_the_flag_shows(
    client_for, spanish_only, ana, carles, vera
):
    translation.translate_text(spanish_only, actor=ana, source="es", target="ca")
    for person in (carles, vera):
        content = client_for(person).get(url("detail", spanish_only)).content.decode()
        assert "machine translated — review before publishing" in content
        assert "Translate again from" not in content
    assert "Confirm translation" in client_for(carles).get(url("detail", spanish_only)).content.decode()
    assert "Confirm translation" not in client_for(vera).get(url("detail", spanish_only)).content.decode()


def test_roles_and_organisations_are_enforced(client_for, spanish_only, carles, vera, oscar):
    assert client_for(carles).post(url("translate", spanish_only), {"translate": "es:ca"}).status_code == 403
    assert (
        client_for(vera).post(url("translation_confirm", spanish_only), {"confirm": "ca"}).status_code == 403
    )
    assert client_for(oscar).post(url("translate", spanish_only), {"translate": "es:ca"}).status_code == 404
    assert (
        client_for(oscar).post(url("translation_confirm", spanish_only), {"confirm": "ca"}).status_code == 404
    )
    assert not spanish_only.texts.filter(language="ca").exists()


def test_the_actions_are_post_only(client_for, spanish_only, ana):
    assert client_for(ana).get(url("translate", spanish_only)).status_code == 405
    assert client_for(ana).get(url("translation_confirm", spanish_only)).status_code == 405


def test_an_unreviewed_translation_cannot_be_submitted_until_confirmed(make_post, ana):
    post = make_post(ana, texts={"es": SPANISH})
    translation.translate_text(post, actor=ana, source="es", target="ca")
    post.refresh_from_db()
    with pytest.raises(ValidationError, match="machine translation nobody has reviewed"):
        review.submit(post, actor=ana)
    translation.confirm_translation(post, actor=ana, language="ca")
    review.submit(post, actor=ana)
    post.refresh_from_db()
    assert post.state != PostState.DRAFT
