"""Media kept in an S3-compatible bucket: uploaded there, published from there, served by us.

The bucket is a real S3 API over HTTP (moto's server on loopback), so django-storages and
boto3 do exactly what they would against a provider.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from pregonero.public.models import NewsItem
from pregonero.public.tests.factories import make_channel, make_post, make_publication
from pregonero.publishing import dispatch
from pregonero.publishing.media import add_media
from pregonero.publishing.models import Media, PostState, PublicationState
from pregonero.testing.s3 import S3Server, start_s3_server

pytestmark = pytest.mark.django_db

BUCKET = "pregonero-media"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    server = start_s3_server()
    server.client().create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-south-2"}
    )
    yield server
    server.stop()


@pytest.fixture
def bucket_storage(settings, s3, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "disk"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3.storage_options(BUCKET)},
    }
    return s3


def bucket_keys(s3: S3Server) -> set[str]:
    return {item["Key"] for item in s3.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_image_kept_in_the_bucket_is_published_and_served_by_pregonero(
    bucket_storage, settings, vilanova, ana, client
):
    website = make_channel(vilanova, "website", "Web de Vilanova")
    post = make_post(vilanova, ana, {"es": "Mercado en la plaza mayor."}, "Mercado")
    post.state = PostState.DRAFT
    post.save(update_fields=["state"])
    post.channels.add(website)
    media = add_media(
        post, actor=ana, file=ContentFile(PNG, name="plaza.png"), description="La plaza con el mercado"
    )
    assert media.file.name in bucket_keys(bucket_storage)

    post.state = PostState.SCHEDULED
    post.save(update_fields=["state"])
    publication = make_publication(post, website, "es")
    assert dispatch.dispatch_next("worker-a") == (publication.pk, PublicationState.SENT)

    item = NewsItem.objects.get()
    [image] = item.media.all()
    assert (image.media, image.file_name) == (media, media.file.name)
    response = client.get(reverse("public:media", args=[vilanova.slug, item.number, image.position]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    # Nothing was kept on the local disk, not even the temporary copy the connector read.
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))


def test_a_temporary_copy_exists_only_while_the_connector_reads_it(bucket_storage, vilanova, ana):
    from contextlib import ExitStack
    from pathlib import Path

    from pregonero.publishing.storage import local_path

    post = make_post(vilanova, ana, {"es": "Texto."})
    media = Media.objects.create(
        organisation=vilanova,
        post=post,
        file=ContentFile(PNG, name="cartel.png"),
        kind="image",
        mime="image/png",
        uploaded_by=ana,
    )
    with ExitStack() as files:
        path = Path(local_path(media.file, files))
        assert path.read_bytes() == PNG
        assert path.suffix == ".png"
    assert not path.exists()
