"""The issue's "done when", as a program would do it: only through the documented API.

A CMS token (editor, created by Alba) writes a bilingual draft with an image and submits it;
a second token with the approver role (created by Diana, so four eyes see two people)
approves it; the first schedules it in the organisation's local time; the dispatcher sends
it; the post reads as published, the news page shows it, and a webhook receiver on
127.0.0.1 gets a correctly signed ``post.published`` event.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pregonero.api import webhooks
from pregonero.api.models import Event
from pregonero.api.tests.conftest import tiny_png
from pregonero.api.tests.receiver import Receiver
from pregonero.public.models import NewsItem
from pregonero.public.tests.factories import make_channel
from pregonero.publishing import dispatch

SPANISH = "El martes se corta el agua en la plaza Mayor de ocho a diez por obras en la red."
VALENCIAN = "Dimarts es talla l'aigua a la plaça Major de huit a deu per obres a la xarxa."


@pytest.fixture
def website(vilanova):
    return make_channel(vilanova, "website", "Web de Vilanova")


def run_worker(now) -> list:
    handled = []
    while (result := dispatch.dispatch_next("api-worker", now=now)) is not None:
        handled.append(result)
    return handled


def test_a_script_publishes_a_bilingual_post_with_an_image_and_hears_of_it(
    api, settings, vilanova, alba, website, editor_token, approver_token, django_capture_on_commit_callbacks
):
    settings.OUTBOUND_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    base = f"organisations/{vilanova.slug}"
    with Receiver() as receiver:
        endpoint, secret = webhooks.create_endpoint(
            vilanova, actor=alba, name="Web CMS", url=receiver.url, events=[Event.POST_PUBLISHED]
        )

        channels = api.get(f"{base}/channels", editor_token).json()["items"]
        website_id = next(channel["id"] for channel in channels if channel["connector"] == "website")
        created = api.post(
            f"{base}/posts",
            editor_token,
            json={
                "title": "Corte de agua",
                "channels": [website_id],
                "texts": {"es": SPANISH, "ca": VALENCIAN},
            },
            headers={"Idempotency-Key": "cms-news-4711"},
        )
        assert created.status_code == 201, created.content
        post = created.json()
        assert {text["language"] for text in post["texts"]} == {"es", "ca"}
        assert len(post["variants"]) == 2

        image = api.client.post(
            f"/api/v1/{base}/posts/{post['id']}/media",
            {"file": _png_upload(), "description": "Operarios reparando una tubería en la plaza Mayor."},
            headers={"Authorization": f"Bearer {editor_token}", "Idempotency-Key": "cms-news-4711-image"},
        )
        assert image.status_code == 201, image.content

        submitted = api.post(f"{base}/posts/{post['id']}/submit", editor_token)
        assert submitted.json()["state"] == "in_review", submitted.content
        approved = api.post(
            f"{base}/posts/{post['id']}/approve", approver_token, json={"comment": "Endavant."}
        )
        assert approved.json()["state"] == "approved", approved.content

        local = (
            (timezone.now() + timedelta(days=1))
            .astimezone(ZoneInfo(vilanova.time_zone))
            .replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None)
        )
        scheduled = api.post(
            f"{base}/posts/{post['id']}/schedule", editor_token, json={"local_time": local.isoformat()}
        )
        assert scheduled.json()["state"] == "scheduled", scheduled.content

        with django_capture_on_commit_callbacks(execute=True):
            run_worker(now=timezone.now() + timedelta(days=2))

        final = api.get(f"{base}/posts/{post['id']}", editor_token).json()
        assert final["state"] == "published"
        assert {publication["state"] for publication in final["publications"]} == {"sent"}
        # Once in each language, exactly once.
        assert sorted(NewsItem.objects.filter(channel=website).values_list("language", flat=True)) == [
            "ca",
            "es",
        ]

        assert len(receiver.received) == 1
        delivery = receiver.received[0]
    timestamp, signature = delivery.headers["Pregonero-Timestamp"], delivery.headers["Pregonero-Signature"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + delivery.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, f"v1={expected}")
    event = json.loads(delivery.body)
    assert event["type"] == "post.published"
    assert event["organisation"] == vilanova.slug
    assert event["data"]["post"]["id"] == post["id"]
    assert sorted(item["language"] for item in event["data"]["publications"]) == ["ca", "es"]
    assert endpoint.deliveries.get().state == "delivered"


def _png_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tuberia.png", tiny_png(), content_type="image/png")
