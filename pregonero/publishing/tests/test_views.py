"""The publishing pages: what each role sees and may do, and that other towns see nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregonero.publishing import review, rules, services
from pregonero.publishing.models import Post, PostState
from pregonero.publishing.tests.composing import (  # noqa: F401 (fixtures)
    fake_networks_fixture,
    make_post_fixture,
    plain_fixture,
    threads_fixture,
)
from pregonero.publishing.tests.fakes import PNG


def form_data(post=None, **values) -> dict:
    data = {
        "title": "Corte de agua",
        "category": "service",
        "tags": "agua, obras",
        "text_es": "Corte de agua el lunes.",
        "text_ca": "Tall d'aigua dilluns.",
    }
    if post is not None:
        data["revision"] = post.revision
        data["department"] = post.department_id or ""
        data["channels"] = list(post.channels.values_list("pk", flat=True))
    return {**data, **values}


def test_the_composer_has_one_labelled_text_per_official_language_in_order(client_for, ana, vilanova):
    response = client_for(ana).get(reverse("publishing:new", args=[vilanova.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_text_es">Text in Spanish' in content
    assert '<label for="id_text_ca">Text in Catalan / Valencian' in content
    assert content.index("id_text_es") < content.index("id_text_ca")
    assert 'hx-trigger="input changed delay:500ms' in content


def test_an_editor_creates_a_draft_from_the_composer(client_for, ana, vilanova, threads, urbanismo):
    url = reverse("publishing:new", args=[vilanova.slug])
    response = client_for(ana).post(url, form_data(channels=[threads.pk], department=urbanismo.pk))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:edit", args=[vilanova.slug, post.pk])
    assert post.tags == ["agua", "obras"]
    assert post.variants.count() == 2


def test_a_reader_cannot_open_the_composer(client_for, vera, vilanova):
    assert client_for(vera).get(reverse("publishing:new", args=[vilanova.slug])).status_code == 403


def test_the_live_preview_counts_characters_left_as_the_network_counts(client_for, ana, vilanova, threads):
    url = reverse("publishing:preview", args=[vilanova.slug])
    response = client_for(ana).post(
        url, form_data(channels=[threads.pk], text_es="Hola", text_ca=""), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"46 characters left" in response.content
    assert b"<html" not in response.content


def test_the_preview_button_works_without_javascript(client_for, ana, vilanova, plain):
    url = reverse("publishing:new", args=[vilanova.slug])
    response = client_for(ana).post(url, form_data(channels=[plain.pk], text_es="x " * 40, preview="1"))
    assert response.status_code == 200
    assert b"shorten it by" in response.content
    assert not Post.objects.exists()


def test_a_stale_save_keeps_the_persons_text_and_shows_the_other_version(
    client_for, make_post, ana, pau, vilanova
):
    post = make_post(ana)
    opened = form_data(post, text_es="Versión de Ana.")
    services.save_post(
        post,
        actor=pau,
        revision=post.revision,
        title="Corte",
        department=post.department,
        category="service",
        tags=[],
        channels=list(post.channels.all()),
        texts={"es": "Versión de Pau.", "ca": "Versió d'en Pau."},
    )
    response = client_for(ana).post(reverse("publishing:edit", args=[vilanova.slug, post.pk]), opened)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone saved this post after you opened it" in content
    assert "Versión de Ana." in content and "Versión de Pau." in content
    post.refresh_from_db()
    assert f'name="revision" value="{post.revision}"' in content


def test_autosave_saves_a_revision_and_returns_the_new_revision(client_for, make_post, ana, vilanova):
    post = make_post(ana)
    url = reverse("publishing:autosave", args=[vilanova.slug, post.pk])
    response = client_for(ana).post(url, form_data(post, text_es="Cambiado."), HTTP_HX_REQUEST="true")
    post.refresh_from_db()
    assert response.status_code == 200
    assert post.revisions.first().autosave
    assert f'value="{post.revision}" id="id_revision" hx-swap-oob="true"'.encode() in response.content


def test_the_detail_shows_history_and_the_buttons_of_the_role(client_for, make_post, carles, pau, vilanova):
    post = make_post(carles)
    review.submit(post, actor=carles)
    detail = reverse("publishing:detail", args=[vilanova.slug, post.pk])
    author_view = client_for(carles).get(detail).content.decode()
    assert "Revision 1" in author_view
    assert reverse("publishing:review", args=[vilanova.slug, post.pk]) not in author_view
    approver_view = client_for(pau).get(detail).content.decode()
    assert reverse("publishing:review", args=[vilanova.slug, post.pk]) in approver_view


def test_an_approver_approves_from_the_page(client_for, make_post, carles, pau, vilanova):
    post = make_post(carles)
    review.submit(post, actor=carles)
    url = reverse("publishing:review", args=[vilanova.slug, post.pk])
    response = client_for(pau).post(url, {"decision": "approve"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == PostState.APPROVED


def test_a_contributor_cannot_review(client_for, make_post, ana, carles, vilanova):
    post = make_post(ana)
    review.submit(post, actor=ana)
    url = reverse("publishing:review", args=[vilanova.slug, post.pk])
    assert client_for(carles).post(url, {"decision": "approve"}).status_code == 403


def test_submitting_without_a_language_shows_why(client_for, make_post, ana, vilanova):
    post = make_post(ana, texts={"es": "Solo castellano."})
    url = reverse("publishing:submit", args=[vilanova.slug, post.pk])
    response = client_for(ana).post(url, follow=True)
    assert b"LANG-1" in response.content
    post.refresh_from_db()
    assert post.state == PostState.DRAFT


def test_uploading_an_image_from_the_composer(client_for, make_post, ana, vilanova):
    post = make_post(ana)
    url = reverse("publishing:media_add", args=[vilanova.slug, post.pk])
    upload = SimpleUploadedFile("cartel.png", PNG, content_type="image/png")
    response = client_for(ana).post(url, {"file": upload, "description": "Cartel"})
    assert response.status_code == 302
    assert post.media.get().description == "Cartel"


def test_a_full_disk_during_an_upload_is_a_message_on_the_page_and_loses_nothing(
    client_for, make_post, ana, vilanova, monkeypatch
):
    import errno

    from django.core.files.storage import FileSystemStorage

    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    post = make_post(ana)
    revision = post.revision
    monkeypatch.setattr(FileSystemStorage, "_save", full)
    url = reverse("publishing:media_add", args=[vilanova.slug, post.pk])
    upload = SimpleUploadedFile("cartel.png", PNG, content_type="image/png")
    response = client_for(ana).post(url, {"file": upload, "description": "Cartel"}, follow=True)
    assert response.status_code == 200
    assert "The file could not be stored" in response.content.decode()
    post.refresh_from_db()
    assert (post.media.count(), post.revision, post.texts.count()) == (0, revision, 2)


def test_the_list_filters_by_state_and_language(client_for, make_post, ana, vilanova):
    make_post(ana, title="Borrador")
    submitted = make_post(ana, title="Enviado")
    review.submit(submitted, actor=ana)
    url = reverse("publishing:list", args=[vilanova.slug])
    content = client_for(ana).get(url, {"state": "in_review", "language": "ca"}).content.decode()
    assert "Enviado" in content and "Borrador" not in content


def test_a_post_of_another_town_is_404_under_this_town(client_for, make_post, ana, oscar, altea):
    post = make_post(ana)
    for name in ("publishing:detail", "publishing:edit", "publishing:schedule"):
        assert client_for(oscar).get(reverse(name, args=[altea.slug, post.pk])).status_code == 404


@pytest.mark.parametrize("name", ["publishing:policy", "publishing:emergency"])
def test_policy_and_emergency_are_for_admins(client_for, ana, alba, vilanova, name):
    url = reverse(name, args=[vilanova.slug])
    assert client_for(ana).get(url).status_code == 403
    assert client_for(alba).get(url).status_code == 200


def test_an_admin_changes_the_policy(client_for, alba, vilanova):
    url = reverse("publishing:policy", args=[vilanova.slug])
    response = client_for(alba).post(url, {"approval": "categories", "approval_categories": ["campaign"]})
    assert response.status_code == 302
    policy = rules.policy_for(vilanova)
    assert (policy.approval, policy.approval_categories, policy.four_eyes) == (
        "categories",
        ["campaign"],
        False,
    )


def test_the_navigation_offers_posts_and_channels(client_for, vera, vilanova):
    content = client_for(vera).get(reverse("core:dashboard", args=[vilanova.slug])).content.decode()
    assert reverse("publishing:list", args=[vilanova.slug]) in content
    assert reverse("channels:list", args=[vilanova.slug]) in content
