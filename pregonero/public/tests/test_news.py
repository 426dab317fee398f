"""The public news page and permanent item pages."""

from __future__ import annotations

from pregonero.public.news import withdraw_news_item
from pregonero.public.tests.factories import (
    as_citizens_read_it,
    make_channel,
    make_post,
    make_publication,
    part_for,
)


def test_the_news_page_lists_items_newest_first(client, publish):
    publish({"es": "Primera noticia"}, "Primera")
    publish({"es": "Segunda noticia"}, "Segunda")

    page = client.get("/p/vilanova-de-mar/").text

    assert page.index("Segunda") < page.index("Primera")


def test_the_news_page_needs_no_sign_in_and_shows_no_staff_navigation(client, client_for, alba, publish):
    publish({"es": "Noticia"}, "Noticia")

    for visitor in (client, client_for(alba)):
        response = visitor.get("/p/vilanova-de-mar/")
        assert response.status_code == 200
        assert "Noticia" in response.text
        assert "/o/vilanova-de-mar/" not in response.text
        assert "Sign out" not in response.text


def test_readers_of_another_language_see_its_version_or_the_default_one(client, vilanova, publish):
    publish({"es": "Corte de agua", "ca": "Tall d'aigua"}, "")
    publish({"es": "Solo en castellano"}, "")
    client.cookies["django_language"] = "ca"

    page = client.get("/p/vilanova-de-mar/").text

    assert "Tall d&#x27;aigua" in page and "Corte de agua" not in page
    assert "Solo en castellano" in page
    assert '<html lang="ca">' in page


def test_a_language_the_organisation_does_not_use_falls_back_to_its_default(client, publish):
    publish({"es": "Corte de agua"})
    client.cookies["django_language"] = "eu"

    page = client.get("/p/vilanova-de-mar/").text

    assert '<html lang="es">' in page and "Corte de agua" in page


def test_the_language_switch_offers_the_organisation_languages_only(client, publish):
    page = client.get("/p/vilanova-de-mar/").text

    assert 'value="ca"' in page and 'value="es"' in page
    assert 'value="eu"' not in page


def test_the_list_is_paginated(client, publish):
    for number in range(21):
        publish({"es": f"Noticia {number}"}, f"Título {number}")

    first, second = client.get("/p/vilanova-de-mar/"), client.get("/p/vilanova-de-mar/?page=2")

    assert "Título 20" in first.text and "Título 0" not in first.text
    assert "Título 0" in second.text and 'rel="prev"' in second.text


def test_an_item_has_a_permanent_page(client, publish):
    item = publish({"es": "Corte de agua el lunes.\nEn el centro."}, "Agua")

    response = client.get(f"/p/vilanova-de-mar/news/{item.number}/")

    assert response.status_code == 200
    assert "<h1>Agua</h1>" in response.text
    assert "Corte de agua el lunes.<br>En el centro." in response.text


def test_item_text_is_escaped_and_its_links_made_clickable(client, publish):
    item = publish({"es": '<script>alert("x")</script> <b>hola</b> https://vilanova.example/agua'})

    page = client.get(f"/p/vilanova-de-mar/news/{item.number}/").text

    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>hola</b>" not in page
    assert '<a href="https://vilanova.example/agua" rel="nofollow">' in page


def test_an_item_links_to_its_other_language_versions(client, publish):
    item = publish({"es": "Corte de agua", "ca": "Tall d'aigua"})

    page = client.get(f"/p/vilanova-de-mar/news/{item.number}/").text

    assert f'href="/p/vilanova-de-mar/news/{item.number + 1}/" hreflang="ca"' in page


def test_a_withdrawn_item_answers_gone_with_a_notice_and_no_content(client, publish):
    item = publish({"es": "Texto retirado"}, "Retirada")
    withdraw_news_item(item, reason="Error en la fecha")

    response = client.get(f"/p/vilanova-de-mar/news/{item.number}/")

    assert response.status_code == 410
    notice = as_citizens_read_it("This news item was withdrawn on %(date)s.").split("%(date)s")[0]
    assert notice in response.text and "Error en la fecha" in response.text
    assert "Texto retirado" not in response.text
    assert "Retirada" not in client.get("/p/vilanova-de-mar/").text


def test_withdrawing_is_recorded_and_happens_once(publish):
    item = publish({"es": "Texto"})

    assert withdraw_news_item(item, reason="Primera") is True
    assert withdraw_news_item(item, reason="Segunda") is False
    item.refresh_from_db()
    assert item.withdrawn_reason == "Primera"


def test_an_unknown_or_inactive_organisation_is_not_found(client, vilanova, publish):
    publish({"es": "Texto"})
    assert client.get("/p/nobody/").status_code == 404
    vilanova.is_active = False
    vilanova.save()

    assert client.get("/p/vilanova-de-mar/").status_code == 404
    assert client.get("/p/vilanova-de-mar/news/1/").status_code == 404


def test_another_organisation_never_shows_these_items(client, altea, ana, publish):
    publish({"es": "Noticia de Vilanova"}, "Vilanova")
    altea_site = make_channel(altea, "website")
    publish({"ca": "Festes d'Altea"}, "Altea", channel=altea_site)

    altea_page = client.get("/p/altea/").text
    assert "Vilanova" not in altea_page and "Altea" in altea_page
    # Both have an item number 1: each address shows its own organisation's.
    assert "Festes" in client.get("/p/altea/news/1/").text
    assert "Noticia de Vilanova" in client.get("/p/vilanova-de-mar/news/1/").text
    assert client.get("/p/altea/news/2/").status_code == 404


def test_images_are_shown_with_their_description_as_alt_text(client, settings, tmp_path, website, ana):
    from django.core.files.base import ContentFile

    from pregonero.channels.connectors.base import OutgoingMedia
    from pregonero.publishing.models import Media

    settings.MEDIA_ROOT = tmp_path
    post = make_post(website.organisation, ana, {"es": "Mercado"}, "Mercado")
    media = Media.objects.create(
        organisation=post.organisation,
        post=post,
        file=ContentFile(b"\x89PNG fake", name="m.png"),
        kind="image",
        mime="image/png",
        description='Puestos de fruta "frescos"',
        uploaded_by=ana,
    )
    outgoing = OutgoingMedia(path=media.file.name, mime="image/png", description=media.description)
    website.get_connector().publish(part_for(make_publication(post, website, "es"), media=(outgoing,)))

    page = client.get("/p/vilanova-de-mar/news/1/").text
    image = client.get("/p/vilanova-de-mar/news/1/images/0/")

    assert 'src="/p/vilanova-de-mar/news/1/images/0/" alt="Puestos de fruta &quot;frescos&quot;"' in page
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == b"\x89PNG fake"
    assert client.get("/p/altea/news/1/images/0/").status_code == 404
