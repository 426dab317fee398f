"""Outgoing webhooks of the inbox and of people's decisions on publications.

``message.received`` when ingestion stores a citizen's new message, ``conversation.overdue``
when the inbox tells an assignee an answer is overdue, and ``post.published`` when a person
marking a publication as sent completes the post; all after the commit of what caused them.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from pregonero.api import webhooks
from pregonero.api.models import Event
from pregonero.api.tests.receiver import Receiver
from pregonero.channels.models import Channel
from pregonero.inbox import ingest, notify
from pregonero.inbox.models import Conversation
from pregonero.inbox.tests.conftest import fake_network  # noqa: F401
from pregonero.inbox.tests.fakes import message
from pregonero.publishing import attention
from pregonero.publishing.models import Post, PostState, Publication, PublicationState, Variant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def channel(vilanova) -> Channel:
    return Channel.objects.create(
        organisation=vilanova, connector="test_inbox", name="Fake", config={"account": "@ayto@fake.example"}
    )


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def listen(organisation, actor, url, *events):
    endpoint, _secret = webhooks.create_endpoint(
        organisation, actor=actor, name="Receiver", url=url, events=list(events)
    )
    return endpoint


def events_of(receiver) -> list[dict]:
    return [json.loads(delivery.body) for delivery in receiver.received]


def test_a_citizens_new_message_is_told_as_message_received(
    vilanova, alba, channel, receiver, django_capture_on_commit_callbacks
):
    listen(vilanova, alba, receiver.url, Event.MESSAGE_RECEIVED)
    text = "<b>Hola</b>, el fanal del carrer Major no funciona."
    with django_capture_on_commit_callbacks(execute=True):
        ingest.store(channel, message("m1", text, when=timezone.now()))
    (event,) = events_of(receiver)
    conversation = Conversation.objects.get()
    assert event["type"] == "message.received"
    assert event["data"]["conversation"]["id"] == conversation.pk
    assert event["data"]["conversation"]["channel"] == {"id": channel.pk, "name": "Fake"}
    # The citizen's text is data, exactly as written: no HTML made of it, none taken out.
    assert event["data"]["message"]["text"] == text
    assert event["data"]["message"]["author_handle"] == "@maria@fake.example"


def test_a_message_seen_again_or_edited_is_not_received_twice(
    vilanova, alba, channel, receiver, django_capture_on_commit_callbacks
):
    listen(vilanova, alba, receiver.url, Event.MESSAGE_RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        ingest.store(channel, message("m1", "Hola"))
        ingest.store(channel, message("m1", "Hola"))
        ingest.store(channel, message("m1", "Hola de nuevo", edited_at=timezone.now()))
    assert len(receiver.received) == 1


def test_a_message_is_not_told_to_another_organisation(
    vilanova, altea, oscar, channel, receiver, django_capture_on_commit_callbacks
):
    listen(altea, oscar, receiver.url, Event.MESSAGE_RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        ingest.store(channel, message("m1", "Hola"))
    assert receiver.received == []


def test_a_receiver_that_is_down_does_not_stop_ingestion(
    vilanova, alba, channel, django_capture_on_commit_callbacks
):
    endpoint = listen(vilanova, alba, "http://127.0.0.1:9/nobody-listens", Event.MESSAGE_RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert ingest.store(channel, message("m1", "Hola")) == ingest.NEW
    assert Conversation.objects.get().messages.count() == 1
    assert endpoint.deliveries.get().state == "retrying"


@pytest.fixture
def overdue_conversation(channel, ana):
    ingest.store(channel, message("m1", "Hola", when=timezone.now() - timedelta(days=10)))
    Conversation.objects.update(assignee=ana, due_at=timezone.now() - timedelta(hours=1))
    return Conversation.objects.get()


def test_an_overdue_notice_is_told_once_as_conversation_overdue(
    vilanova, alba, overdue_conversation, receiver, django_capture_on_commit_callbacks
):
    listen(vilanova, alba, receiver.url, Event.CONVERSATION_OVERDUE)
    assert webhooks.announce_overdue_conversations() == 0  # the inbox has not told anybody yet
    assert notify.overdue() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.announce_overdue_conversations() == 1
        assert webhooks.announce_overdue_conversations() == 0
    (event,) = events_of(receiver)
    assert event["type"] == "conversation.overdue"
    assert event["data"]["conversation"]["id"] == overdue_conversation.pk
    assert event["data"]["conversation"]["assignee"] == overdue_conversation.assignee_id


def test_a_new_clock_that_falls_overdue_is_told_again(
    vilanova, alba, overdue_conversation, receiver, django_capture_on_commit_callbacks
):
    listen(vilanova, alba, receiver.url, Event.CONVERSATION_OVERDUE)
    notify.overdue()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.announce_overdue_conversations()
    # Answered, then the citizen wrote again and that answer is overdue too.
    later = timezone.now() + timedelta(minutes=5)
    Conversation.objects.update(due_at=later - timedelta(hours=1), overdue_notified_at=None)
    notify.overdue(now=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.announce_overdue_conversations(now=later) == 1
    assert [event["type"] for event in events_of(receiver)] == ["conversation.overdue"] * 2


def test_the_webhook_rounds_announce_overdue_conversations(vilanova, alba, overdue_conversation):
    from pregonero.api import tasks

    endpoint = listen(vilanova, alba, "https://example.org/hook", Event.CONVERSATION_OVERDUE)
    notify.overdue()
    webhooks.WebhookDelivery.objects.all().delete()
    assert tasks.webhook_rounds.call()["announced"] == 1
    assert endpoint.deliveries.get().event == "conversation.overdue"


@pytest.fixture
def failed_publication(vilanova, alba):
    web = Channel.objects.create(organisation=vilanova, connector="website", name="Web")
    post = Post.objects.create(organisation=vilanova, author=alba, title="Festes", state=PostState.FAILED)
    variant = Variant.objects.create(post=post, language="es", channel=web, body="x", parts=["x"])
    return Publication.objects.create(
        organisation=vilanova,
        post=post,
        variant=variant,
        channel=web,
        due_at=timezone.now(),
        state=PublicationState.FAILED,
    )


def test_marking_the_last_failed_publication_as_sent_tells_post_published(
    vilanova, alba, ana, failed_publication, receiver, django_capture_on_commit_callbacks
):
    listen(vilanova, alba, receiver.url, Event.POST_PUBLISHED, Event.POST_FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        attention.mark_sent(failed_publication, actor=ana, url="https://vilanova.example/festes")
    (event,) = events_of(receiver)
    assert event["type"] == "post.published"
    post = {"id": failed_publication.post_id, "title": "Festes", "state": "published"}
    assert event["data"]["post"] == post
    assert event["data"]["publications"][0]["remote_url"] == "https://vilanova.example/festes"


def test_cancelling_a_failed_publication_tells_nothing_published(
    vilanova, alba, ana, failed_publication, receiver, django_capture_on_commit_callbacks
):
    listen(vilanova, alba, receiver.url, Event.POST_PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        attention.cancel(failed_publication, actor=ana)
    assert receiver.received == []
