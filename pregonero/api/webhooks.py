"""Outgoing webhooks: what happened, told to the addresses an admin configured, signed.

:func:`emit` is the one entry point: it records one :class:`WebhookDelivery` per endpoint of
the organisation that listens to the event, and enqueues their sending once the transaction
that caused the event commits, so the action that caused it never waits for a receiver.

Each delivery is a POST of JSON ``{"id", "type", "created_at", "organisation", "data"}`` with
the headers ``Pregonero-Event``, ``Pregonero-Delivery``, ``Pregonero-Timestamp`` (Unix seconds)
and ``Pregonero-Signature: v1=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"`` with the
endpoint's secret (docs/api.md shows how to check it). Failures are retried with backoff
(:data:`BACKOFF`) and every attempt is kept on the delivery row, which an admin can send again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.api.models import DeliveryState, Event, WebhookDelivery, WebhookEndpoint
from pregonero.audit import services as audit
from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError

logger = logging.getLogger("pregonero.webhooks")

# Waits after the 1st, 2nd... failed attempt; after the last, the delivery has failed.
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Longer than an outbound call can take (30 s timeouts, a few connection retries).
CLAIM_LEASE = timedelta(minutes=2)
SIGNATURE_VERSION = "v1"


# Admin actions


def _require_admin(actor: Person, organisation: Organisation) -> None:
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied


@transaction.atomic
def create_endpoint(
    organisation: Organisation, *, actor: Person, name: str, url: str, events: list[str], request=None
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint; return it with its signing secret, which is shown only now."""
    _require_admin(actor, organisation)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        name=name.strip(),
        url=url,
        events=[event for event in Event.values if event in events],
        secret=secret,
        created_by=actor,
    )
    audit.record(
        "webhook.created",
        actor=actor,
        organisation=organisation,
        obj=endpoint,
        changes=audit.diff({}, {"name": endpoint.name, "url": url, "events": endpoint.events}),
        request=request,
    )
    return endpoint, secret


@transaction.atomic
def set_active(endpoint: WebhookEndpoint, *, actor: Person, active: bool, request=None) -> WebhookEndpoint:
    _require_admin(actor, endpoint.organisation)
    if endpoint.is_active != active:
        endpoint.is_active = active
        endpoint.save(update_fields=["is_active"])
        audit.record(
            "webhook.enabled" if active else "webhook.disabled",
            actor=actor,
            organisation=endpoint.organisation,
            obj=endpoint,
            request=request,
        )
    return endpoint


@transaction.atomic
def resend(delivery: WebhookDelivery, *, actor: Person, request=None) -> WebhookDelivery:
    """Send the same event again (same event id, so a receiver can tell it is a repeat)."""
    endpoint = delivery.endpoint
    _require_admin(actor, endpoint.organisation)
    again = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        payload=delivery.payload,
        resent_from=delivery,
    )
    audit.record(
        "webhook.resent",
        actor=actor,
        organisation=endpoint.organisation,
        obj=endpoint,
        details={"event": delivery.event, "event_id": str(delivery.event_id)},
        request=request,
    )
    _enqueue_on_commit([again.pk])
    return again


# Events


def emit(event: str, organisation: Organisation, payload: dict) -> list[WebhookDelivery]:
    """Record ``event`` for every active endpoint of ``organisation`` that listens to it and
    send them after the current transaction commits (at once when there is none)."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(organisation=organisation, is_active=True)
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    envelope = {
        "id": str(event_id),
        "type": event,
        "created_at": timezone.now(),
        "organisation": organisation.slug,
        "data": payload,
    }
    body = json.loads(json.dumps(envelope, cls=DjangoJSONEncoder))
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, event_id=event_id, payload=body)
        for endpoint in endpoints
    ]
    _enqueue_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


def _enqueue_on_commit(ids: list[int]) -> None:
    from pregonero.api.tasks import deliver

    for pk in ids:
        transaction.on_commit(lambda pk=pk: deliver.enqueue(pk))


def publication_concluded(publication_id: int, state: str, post_state: str | None) -> None:
    """The dispatcher finished with a publication (called once its change is committed).

    ``state`` is the publication's new state and ``post_state`` the post's, when this
    conclusion changed it: a post becomes published once, so its event goes out once.
    """
    from pregonero.publishing.models import PostState, Publication, PublicationState

    publication = (
        Publication.objects.select_related("organisation", "post", "channel", "variant")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return
    data = {"post": _post_data(publication.post), "publication": _publication_data(publication)}
    if post_state == PostState.PUBLISHED:
        everywhere = publication.post.publications.select_related("channel", "variant").order_by("pk")
        published = {"post": data["post"], "publications": [_publication_data(item) for item in everywhere]}
        emit(Event.POST_PUBLISHED, publication.organisation, published)
    if state == PublicationState.FAILED:
        emit(Event.POST_FAILED, publication.organisation, data)
    if state == PublicationState.UNKNOWN:
        emit(Event.PUBLICATION_UNKNOWN, publication.organisation, data)


def _post_data(post) -> dict:
    return {"id": post.pk, "title": post.title, "state": post.state}


def _publication_data(publication) -> dict:
    return {
        "id": publication.pk,
        "channel": {"id": publication.channel_id, "name": publication.channel.name},
        "language": publication.variant.language,
        "state": publication.state,
        "remote_url": publication.remote_url,
        "sent_at": publication.sent_at,
    }


def message_received(message_id: int) -> None:
    """A citizen's message was stored in the inbox (called once its insert is committed).

    The text goes as the citizen wrote it, as JSON data: receivers must escape it wherever
    they show it, as Pregonero does.
    """
    from pregonero.inbox.models import Direction, Message

    message = (
        Message.objects.select_related("conversation__organisation", "conversation__channel")
        .filter(pk=message_id, direction=Direction.IN)
        .first()
    )
    if message is None:
        return
    conversation = message.conversation
    emit(
        Event.MESSAGE_RECEIVED,
        conversation.organisation,
        {"conversation": _conversation_data(conversation), "message": _message_data(message)},
    )


def _conversation_data(conversation) -> dict:
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "state": conversation.state,
        "channel": {"id": conversation.channel_id, "name": conversation.channel.name},
        "department": conversation.department_id,
        "assignee": conversation.assignee_id,
        "language": conversation.language,
        "citizen_handle": conversation.citizen_handle,
        "due_at": conversation.due_at,
        "last_message_at": conversation.last_message_at,
    }


def _message_data(message) -> dict:
    return {
        "id": message.pk,
        "author_handle": message.author_handle,
        "author_name": message.author_name,
        "text": message.text,
        "url": message.url,
        "language": message.language,
        "personal_data": list(message.personal_data),
        "created_at": message.created_at,
        "received_at": message.received_at,
    }


# How far back a notice of the inbox is still announced (the worker may have been down).
OVERDUE_LOOKBACK = timedelta(days=1)


def announce_overdue_conversations(now=None) -> int:
    """Emit ``conversation.overdue`` for each overdue notice the inbox sent since last seen.

    The inbox's notifier (:func:`pregonero.inbox.notify.overdue`) marks a conversation when it
    tells the assignee that the answer is overdue, once per clock; announcing what it marked
    keeps one rule for both. Claimed per conversation by a conditional UPDATE (or the unique
    row), so two workers never announce the same notice twice. Returns how many were told.
    """
    from django.db import IntegrityError

    from pregonero.api.models import OverdueAnnounced
    from pregonero.inbox.models import Conversation

    now = now or timezone.now()
    notified = Conversation.objects.filter(overdue_notified_at__gte=now - OVERDUE_LOOKBACK).select_related(
        "organisation", "channel"
    )
    seen = dict(
        OverdueAnnounced.objects.filter(conversation__in=notified).values_list(
            "conversation_id", "notified_at"
        )
    )
    told = 0
    for conversation in notified:
        when = conversation.overdue_notified_at
        if seen.get(conversation.pk) == when:
            continue
        with transaction.atomic():
            claimed = (
                OverdueAnnounced.objects.filter(conversation=conversation)
                .exclude(notified_at=when)
                .update(notified_at=when)
            )
            if not claimed:
                try:
                    with transaction.atomic():
                        OverdueAnnounced.objects.create(conversation=conversation, notified_at=when)
                except IntegrityError:
                    continue  # Announced already, by this notice or by another worker.
            emit(
                Event.CONVERSATION_OVERDUE,
                conversation.organisation,
                {"conversation": _conversation_data(conversation), "notified_at": when},
            )
            told += 1
    return told


def announce_unhealthy_channels() -> int:
    """Emit ``channel.unhealthy`` for each channel whose health turned bad since last seen.

    Health changes in several places (the dispatcher, the periodic health check); looking at
    the result keeps all of them covered without a hook in each. Returns how many were told.
    """
    from pregonero.api.models import ChannelHealthSeen
    from pregonero.channels.models import Channel, Health

    bad = (Health.DEGRADED, Health.BROKEN)
    seen = dict(ChannelHealthSeen.objects.values_list("channel_id", "health"))
    told = 0
    for channel in Channel.objects.select_related("organisation"):
        before = seen.get(channel.pk)
        if before == channel.health:
            continue
        with transaction.atomic():
            ChannelHealthSeen.objects.update_or_create(channel=channel, defaults={"health": channel.health})
            if channel.health in bad and before is not None:
                emit(
                    Event.CHANNEL_UNHEALTHY,
                    channel.organisation,
                    {
                        "channel": {"id": channel.pk, "name": channel.name, "connector": channel.connector},
                        "health": channel.health,
                        "previous_health": before,
                        "message": channel.health_message,
                    },
                )
                told += 1
    return told


# Sending


def claim(delivery_id: int) -> WebhookDelivery | None:
    """Take the delivery for one attempt, or None when it is not due or another worker has it.

    The conditional UPDATE moves ``next_attempt_at`` past a lease: a worker that dies during
    the call leaves it to be tried again once the lease is over.
    """
    now = timezone.now()
    taken = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, state__in=(DeliveryState.PENDING, DeliveryState.RETRYING)
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + CLAIM_LEASE)
    )
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id) if taken else None


def due_ids(now=None) -> list[int]:
    """Deliveries waiting for a retry, and new ones whose first sending was lost."""
    now = now or timezone.now()
    waiting = WebhookDelivery.objects.filter(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING))
    return list(
        waiting.filter(
            Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=now - CLAIM_LEASE)
        ).values_list("pk", flat=True)[:500]
    )


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def send(delivery: WebhookDelivery) -> str:
    """Make one attempt at ``delivery`` now; record its outcome and return the new state.

    A delivery already delivered or failed, or whose endpoint was paused, is left alone.
    """
    endpoint = delivery.endpoint
    if delivery.state in (DeliveryState.DELIVERED, DeliveryState.FAILED) or not endpoint.is_active:
        return delivery.state
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "Pregonero-Event": delivery.event,
        "Pregonero-Delivery": str(delivery.event_id),
        "Pregonero-Timestamp": str(timestamp),
        "Pregonero-Signature": signature(endpoint.secret, timestamp, body),
    }
    delivery.attempts += 1
    try:
        with translation.override(None):
            response = outbound.request("POST", endpoint.url, content=body, headers=headers)
        if response.status_code >= 300:
            raise outbound.error_for(response)
    except ConnectorError as error:
        _failed_attempt(delivery, error)
    else:
        delivery.response_status = response.status_code
        delivery.state, delivery.last_error = DeliveryState.DELIVERED, ""
        delivery.delivered_at, delivery.next_attempt_at = timezone.now(), None
    fields = ["attempts", "response_status", "last_error", "state", "next_attempt_at", "delivered_at"]
    delivery.save(update_fields=fields)
    return delivery.state


def _failed_attempt(delivery: WebhookDelivery, error: ConnectorError) -> None:
    detail = getattr(error, "detail", "")
    delivery.response_status = getattr(error, "status", None)
    delivery.last_error = f"{error.message}\n{detail}" if detail else error.message
    # Refused before any request (a private address, a malformed one): retrying cannot help.
    hopeless = error.permanent and delivery.response_status is None
    if hopeless or delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
        return
    wait = BACKOFF[delivery.attempts - 1]
    if error.retry_after:
        wait = max(wait, timedelta(seconds=error.retry_after))
    delivery.state, delivery.next_attempt_at = DeliveryState.RETRYING, timezone.now() + wait
