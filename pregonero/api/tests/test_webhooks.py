"""Outgoing webhooks: signed, retried with backoff, recorded, re-sendable, never in the way."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.api import tasks, webhooks
from pregonero.api.models import DeliveryState, Event, WebhookDelivery, WebhookEndpoint
from pregonero.api.tests.receiver import Receiver
from pregonero.channels.models import Channel, Health
from pregonero.publishing.models import Post, PostState, Publication, PublicationState, Variant


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def endpoint_for(organisation, actor, url, events=tuple(Event.values)):
    return webhooks.create_endpoint(organisation, actor=actor, name="Receiver", url=url, events=list(events))


def test_an_event_reaches_the_endpoints_that_listen_to_it(
    vilanova, alba, receiver, django_capture_on_commit_callbacks
):
    listening, secret = endpoint_for(vilanova, alba, receiver.url, [Event.POST_FAILED])
    endpoint_for(vilanova, alba, receiver.url, [Event.CHANNEL_UNHEALTHY])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(Event.POST_FAILED, vilanova, {"post": {"id": 1}})
    assert len(receiver.received) == 1
    delivery = receiver.received[0]
    body = json.loads(delivery.body)
    assert (body["type"], body["organisation"], body["data"]) == (
        "post.failed",
        vilanova.slug,
        {"post": {"id": 1}},
    )
    assert delivery.headers["Pregonero-Event"] == "post.failed"
    assert delivery.headers["Pregonero-Delivery"] == body["id"]
    expected = webhooks.signature(secret, int(delivery.headers["Pregonero-Timestamp"]), delivery.body)
    assert hmac.compare_digest(delivery.headers["Pregonero-Signature"], expected)
    assert listening.deliveries.get().state == DeliveryState.DELIVERED


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"a":1}'
    assert webhooks.signature("s3cret", 1700000000, body) == (
        "v1=" + hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    )


def test_another_organisations_endpoints_hear_nothing(
    vilanova, altea, oscar, receiver, django_capture_on_commit_callbacks
):
    endpoint_for(altea, oscar, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.emit(Event.POST_FAILED, vilanova, {}) == []
    assert receiver.received == []


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(vilanova, alba, receiver):
    receiver.answer = 500
    endpoint, _secret = endpoint_for(vilanova, alba, receiver.url)
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="post.failed", payload={"x": 1})
    before = timezone.now()
    assert webhooks.send(webhooks.claim(delivery.pk)) == DeliveryState.RETRYING
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status) == (1, 500)
    assert timedelta(seconds=29) < delivery.next_attempt_at - before < timedelta(seconds=40)
    assert webhooks.claim(delivery.pk) is None  # not due yet
    for _attempt in range(webhooks.MAX_ATTEMPTS - 1):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        webhooks.send(webhooks.claim(delivery.pk))
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, webhooks.MAX_ATTEMPTS)
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS


def test_the_rounds_send_what_fell_due_and_leave_the_rest(vilanova, alba, receiver):
    endpoint, _secret = endpoint_for(vilanova, alba, receiver.url)
    due = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="post.failed",
        payload={},
        state=DeliveryState.RETRYING,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
        attempts=1,
    )
    later = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="post.failed",
        payload={},
        state=DeliveryState.RETRYING,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
        attempts=1,
    )
    tasks.webhook_rounds.call()
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == (DeliveryState.DELIVERED, DeliveryState.RETRYING)


def test_a_receiver_on_a_private_address_is_refused_unless_allowed(settings, vilanova, alba):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    endpoint, _secret = endpoint_for(vilanova, alba, "http://10.1.2.3/hook")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="post.failed", payload={})
    assert webhooks.send(webhooks.claim(delivery.pk)) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert "private network" in delivery.last_error


def test_a_paused_endpoint_gets_nothing(vilanova, alba, receiver, django_capture_on_commit_callbacks):
    endpoint, _secret = endpoint_for(vilanova, alba, receiver.url)
    webhooks.set_active(endpoint, actor=alba, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(Event.POST_FAILED, vilanova, {})
    assert receiver.received == []


def test_a_delivery_is_sent_again_with_the_same_event_id(
    vilanova, alba, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_for(vilanova, alba, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        (first,) = webhooks.emit(Event.POST_FAILED, vilanova, {"n": 1})
        webhooks.resend(first, actor=alba)
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
    assert WebhookDelivery.objects.filter(resent_from=first, state=DeliveryState.DELIVERED).exists()


# Events from the dispatcher and the channels


@pytest.fixture
def publication(vilanova, alba):
    channel = Channel.objects.create(organisation=vilanova, connector="website", name="Web")
    post = Post.objects.create(organisation=vilanova, author=alba, title="Festes", state=PostState.PUBLISHING)
    variant = Variant.objects.create(post=post, language="es", channel=channel, body="x", parts=["x"])
    return Publication.objects.create(
        organisation=vilanova, post=post, variant=variant, channel=channel, due_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("state", "post_state", "events"),
    [
        (PublicationState.SENT, PostState.PUBLISHED, ["post.published"]),
        (PublicationState.SENT, None, []),
        (PublicationState.FAILED, PostState.FAILED, ["post.failed"]),
        (PublicationState.UNKNOWN, None, ["publication.unknown"]),
        (PublicationState.RETRY_WAIT, None, []),
    ],
)
def test_a_conclusion_of_the_dispatcher_becomes_its_event(
    vilanova, alba, publication, state, post_state, events
):
    endpoint, _secret = endpoint_for(vilanova, alba, "https://example.org/hook")
    Publication.objects.filter(pk=publication.pk).update(state=state)
    webhooks.publication_concluded(publication.pk, state, post_state)
    assert list(endpoint.deliveries.values_list("event", flat=True)) == events


def test_a_dead_receiver_does_not_stop_publishing(
    vilanova, alba, publication, django_capture_on_commit_callbacks
):
    from pregonero.publishing import dispatch

    endpoint, _secret = endpoint_for(vilanova, alba, "http://127.0.0.1:9/nobody-listens")
    Post.objects.filter(pk=publication.post_id).update(state=PostState.SCHEDULED)
    with django_capture_on_commit_callbacks(execute=True):
        result = dispatch.dispatch_next("worker", now=timezone.now() + timedelta(seconds=1))
    assert result == (publication.pk, PublicationState.SENT)
    assert endpoint.deliveries.get().state == DeliveryState.RETRYING


def test_a_channel_that_turns_unhealthy_is_announced_once(vilanova, alba, receiver):
    endpoint, _secret = endpoint_for(vilanova, alba, receiver.url, [Event.CHANNEL_UNHEALTHY])
    channel = Channel.objects.create(organisation=vilanova, connector="website", name="Web", health=Health.OK)
    assert webhooks.announce_unhealthy_channels() == 0  # first sight: nothing to compare with
    Channel.objects.filter(pk=channel.pk).update(health=Health.BROKEN, health_message="Token revoked.")
    assert webhooks.announce_unhealthy_channels() == 1
    assert webhooks.announce_unhealthy_channels() == 0
    payload = endpoint.deliveries.get().payload
    assert payload["data"]["health"] == "broken" and payload["data"]["previous_health"] == "ok"


# The admin screens


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(client_for, alba, vilanova):
    client = client_for(alba)
    url = reverse("api_admin:webhooks", args=[vilanova.slug])
    response = client.post(
        url, {"name": "CMS", "url": "https://cms.vilanova.example/hook", "events": ["post.published"]}
    )
    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == secret and endpoint.events == ["post.published"]
    assert secret not in client.get(url).content.decode()


def test_an_admin_resends_a_delivery_from_its_page(
    client_for, alba, vilanova, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_for(vilanova, alba, receiver.url)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="post.failed", payload={}, state="failed"
    )
    client = client_for(alba)
    page = client.get(reverse("api_admin:webhook", args=[vilanova.slug, endpoint.pk]))
    assert "post.failed" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api_admin:delivery_resend", args=[vilanova.slug, endpoint.pk, delivery.pk]))
    assert len(receiver.received) == 1


def test_a_delivery_of_another_town_is_404_here(client_for, alba, vilanova, altea, oscar):
    endpoint, _secret = endpoint_for(altea, oscar, "https://example.org/hook")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="post.failed", payload={})
    own, _secret = endpoint_for(vilanova, alba, "https://example.org/hook")
    url = reverse("api_admin:delivery_resend", args=[vilanova.slug, own.pk, delivery.pk])
    assert client_for(alba).post(url).status_code == 404
