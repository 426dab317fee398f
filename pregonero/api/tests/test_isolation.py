"""A token never reaches another organisation: every operation of the OpenAPI document, walked.

The operations are read from the generated document, so an endpoint added later is covered
the day it is added. Each is called with Altea's admin token on Vilanova's real objects and
must answer 404, exactly like a missing object; the same request with Vilanova's own token
must not be 404, which proves the walk uses objects that exist.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregonero.accounts.roles import Role
from pregonero.api.api import api as ninja_api
from pregonero.api.tests.conftest import make_token, tiny_png
from pregonero.archive import services as archive
from pregonero.channels.models import Channel
from pregonero.exports.models import ExportJob, ExportState
from pregonero.inbox.models import Conversation, Kind, Message
from pregonero.publishing.models import Post, PostState, PostText, Publication, Variant


def operations() -> list[tuple[str, str, dict]]:
    schema = ninja_api.get_openapi_schema()
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


OPERATIONS = operations()
IDS = [f"{method.upper()} {path}" for method, path, _operation in OPERATIONS]


@pytest.fixture
def vilanova_objects(vilanova, alba) -> dict[str, int]:
    channel = Channel.objects.create(organisation=vilanova, connector="website", name="Web")
    post = Post.objects.create(organisation=vilanova, author=alba, title="Festes", state=PostState.DRAFT)
    post.channels.add(channel)
    PostText.objects.create(post=post, language="es", body="Fiestas")
    variant = Variant.objects.create(
        post=post, language="es", channel=channel, body="Fiestas", parts=["Fiestas"]
    )
    publication = Publication.objects.create(
        organisation=vilanova, post=post, variant=variant, channel=channel, due_at=timezone.now()
    )
    conversation = Conversation.objects.create(
        organisation=vilanova, channel=channel, key="dm:42", kind=Kind.PRIVATE, citizen_handle="@maria"
    )
    Message.objects.create(conversation=conversation, channel=channel, remote_id="m1", text="Hola")
    record = archive.append(vilanova, "message.received", source=("test.item", 1), text="Hola")
    empty_zip = default_storage.save("exports/walk.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    export = ExportJob.objects.create(
        organisation=vilanova, requested_by=alba, state=ExportState.READY, file=empty_zip, size=22
    )
    return {
        "seq": record.seq,
        "organisation": vilanova.slug,
        "conversation_id": conversation.pk,
        "post_id": post.pk,
        "channel_id": channel.pk,
        "variant_id": variant.pk,
        "publication_id": publication.pk,
        "export_id": export.pk,
    }


def request(api, method: str, path: str, operation: dict, values: dict, token: str):
    url = re.sub(r"{(\w+)}", lambda match: str(values[match.group(1)]), path)
    headers = {"Idempotency-Key": f"walk-{method}-{url}-{token[:12]}", "If-Match": "*"}
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        upload = SimpleUploadedFile("walk.png", tiny_png(), content_type="image/png")
        return api.client.post(url, {"file": upload}, headers={**headers, "Authorization": f"Bearer {token}"})
    body = {} if "application/json" in content else None
    return api.call(method, url, token, json=body, headers=headers)


def test_the_walk_finds_every_resource():
    paths = {path for _method, path, _operation in OPERATIONS}
    assert len(OPERATIONS) >= 19
    assert {
        "/api/v1/organisations/{organisation}/posts",
        "/api/v1/organisations/{organisation}/audit-entries",
        "/api/v1/organisations/{organisation}/conversations",
        "/api/v1/organisations/{organisation}/conversations/{conversation_id}/replies",
        "/api/v1/organisations/{organisation}/archive/records",
        "/api/v1/organisations/{organisation}/archive/records/{seq}",
        "/api/v1/organisations/{organisation}/archive/exports/{export_id}/download",
    } <= paths


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_a_token_of_another_organisation_gets_404(
    api, vilanova, alba, altea_token, vilanova_objects, method, path, operation
):
    outsider = request(api, method, path, operation, vilanova_objects, altea_token)
    if "{organisation}" in path:
        assert outsider.status_code == 404, outsider.content
        assert outsider["Content-Type"] == "application/problem+json"
        assert outsider.json() == {
            "type": "about:blank",
            "title": "Not found.",
            "status": 404,
            "instance": outsider.wsgi_request.path,
        }
    else:
        # The list of organisations names only the token's own.
        assert [item["slug"] for item in outsider.json()["items"]] == ["altea"]
    insider = request(api, method, path, operation, vilanova_objects, make_token(vilanova, alba, Role.ADMIN))
    assert insider.status_code != 404, insider.content


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_a_token_of_the_council_above_does_not_reach_the_town(
    api, diputacion, diana, vilanova_objects, method, path, operation
):
    """Diana is an admin of Vilanova through the council, but the council's token is the council's."""
    token = make_token(diputacion, diana, Role.ADMIN)
    response = request(api, method, path, operation, vilanova_objects, token)
    if "{organisation}" in path:
        assert response.status_code == 404
