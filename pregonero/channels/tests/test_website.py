"""The website connector, called directly with outgoing parts."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from pregonero.channels.connectors import connector_class
from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia
from pregonero.public.models import NewsItem
from pregonero.public.tests.factories import make_channel, make_post, make_publication, part_for
from pregonero.publishing.models import Media

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def _site_url(settings, tmp_path):
    settings.SITE_URL = "https://pregonero.example"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def website(vilanova):
    return make_channel(vilanova, "website", "Web de Vilanova")


@pytest.fixture
def post(vilanova, ana):
    return make_post(vilanova, ana, {"es": "Corte de agua el lunes.", "ca": "Tall d'aigua dilluns."}, "Agua")


def test_it_is_registered_with_its_capabilities(website):
    connector = website.get_connector()
    assert connector_class("website").key == "website"
    assert connector.capabilities.publish and connector.capabilities.delete
    assert connector.capabilities.idempotent_publish
    assert connector.limits.max_length is None and connector.limits.max_thread == 1
    assert "image/webp" in connector.limits.image_types


def test_publishing_creates_a_news_item_with_a_permanent_address(website, post):
    publication = make_publication(post, website, "es")

    result = website.get_connector().publish(part_for(publication))

    item = NewsItem.objects.get()
    assert result.remote_id == str(item.pk)
    assert result.url == f"https://pregonero.example/p/vilanova-de-mar/news/{item.number}/"
    assert (item.title, item.body, item.language) == ("Agua", "Corte de agua el lunes.", "es")
    assert (item.post, item.publication, item.organisation) == (post, publication, post.organisation)


def test_publishing_the_same_key_again_returns_the_same_item(website, post):
    part = part_for(make_publication(post, website, "es"))
    connector = website.get_connector()

    first = connector.publish(part)
    second = connector.publish(part)

    assert first == second
    assert NewsItem.objects.count() == 1


def test_items_are_numbered_one_after_another_in_each_organisation(website, post, altea, ana):
    numbers = [
        NewsItem.objects.get(
            pk=website.get_connector().publish(part_for(make_publication(post, website, lang))).remote_id
        ).number
        for lang in ("es", "ca")
    ]
    other = make_channel(altea, "website")
    altea_post = make_post(altea, ana, {"ca": "Festes"})
    altea_item = other.get_connector().publish(part_for(make_publication(altea_post, other, "ca")))

    assert numbers == [1, 2]
    assert NewsItem.objects.get(pk=altea_item.remote_id).number == 1


def test_images_keep_the_description_they_were_published_with(website, post, ana):
    media = Media.objects.create(
        organisation=post.organisation,
        post=post,
        file=ContentFile(PNG, name="plaza.png"),
        kind="image",
        mime="image/png",
        description="La plaza mayor con el mercado",
        uploaded_by=ana,
    )
    outgoing = OutgoingMedia(path=media.file.path, mime="image/png", description=media.description)

    website.get_connector().publish(part_for(make_publication(post, website, "es"), media=(outgoing,)))

    [image] = NewsItem.objects.get().media.all()
    assert (image.media, image.file_name, image.description) == (media, media.file.name, media.description)


def test_a_split_variant_becomes_one_item_with_the_whole_text(website, post):
    publication = make_publication(post, website, "es", parts=["Corte de agua", "el lunes."])
    connector = website.get_connector()

    first = connector.publish(part_for(publication, 0))
    second = connector.publish(part_for(publication, 1))

    assert first == second
    assert NewsItem.objects.get().body == "Corte de agua el lunes."


def test_a_later_part_before_the_first_is_a_temporary_error(website, post):
    publication = make_publication(post, website, "es", parts=["Uno", "Dos"])

    with pytest.raises(ConnectorError) as error:
        website.get_connector().publish(part_for(publication, 1))

    assert not error.value.permanent


def test_find_published_looks_the_key_up(website, post):
    part = part_for(make_publication(post, website, "es"))
    connector = website.get_connector()
    assert connector.find_published(part.idempotency_key) is None

    result = connector.publish(part)

    assert connector.find_published(part.idempotency_key) == result


def test_deleting_withdraws_the_item_and_keeps_it(website, post):
    connector = website.get_connector()
    result = connector.publish(part_for(make_publication(post, website, "es")))

    connector.delete(result.remote_id)

    item = NewsItem.objects.get()
    assert item.withdrawn_at is not None and item.withdrawn_reason
    assert item.body == "Corte de agua el lunes."


def test_deleting_an_item_of_another_channel_is_refused(website, post, altea):
    result = website.get_connector().publish(part_for(make_publication(post, website, "es")))
    other = make_channel(altea, "website")

    with pytest.raises(ConnectorError) as error:
        other.get_connector().delete(result.remote_id)

    assert error.value.permanent
    assert NewsItem.objects.get().withdrawn_at is None
