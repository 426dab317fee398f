"""Storing webhook calls, and giving a channel its webhook address."""

from __future__ import annotations

import time
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.urls import reverse

from pregonero.channels.models import Channel
from pregonero.inbound import receivers, signatures
from pregonero.inbound.models import HookEndpoint, RawEvent


def _kept_headers(receiver: receivers.Receiver, headers: Mapping[str, str]) -> dict[str, str]:
    return {name: headers[name] for name in receiver.keep_headers if name in headers}


def store(
    endpoint: HookEndpoint, receiver: receivers.Receiver, headers: Mapping[str, str], body: bytes
) -> str:
    """Store a verified call; return "stored", or why it was not ("not JSON", "replay", "stale").

    The row is committed before the view answers, so the network's acknowledgement always
    follows a durable copy.
    """
    try:
        payload = receivers.decode(body)
    except ValueError:
        return "not JSON"
    oldest = receiver.oldest_time(payload)
    if oldest is not None and oldest < time.time() - receivers.META_REPLAY_WINDOW.total_seconds():
        return "stale"
    key = receiver.event_key(payload) or signatures.body_digest(body)
    try:
        with transaction.atomic():
            RawEvent.objects.create(
                channel=endpoint.channel,
                network=receiver.network,
                headers=_kept_headers(receiver, headers),
                body=body,
                signature_ok=True,
                event_key=key,
            )
    except IntegrityError:
        return "replay"
    return "stored"


def record_refusal(
    endpoint: HookEndpoint, receiver: receivers.Receiver, headers: Mapping[str, str], reason: str
) -> None:
    """A trace of a refused call: headers and reason, never the body."""
    RawEvent.objects.create(
        channel=endpoint.channel,
        network=receiver.network,
        headers=_kept_headers(receiver, headers),
        signature_ok=False,
        error=reason,
    )


def endpoint_for(channel: Channel) -> HookEndpoint:
    endpoint, _ = HookEndpoint.objects.get_or_create(channel=channel)
    return endpoint


def hook_url(endpoint: HookEndpoint, base_url: str, network: str | None = None) -> str:
    path = reverse("inbound:hook", args=[network or endpoint.channel.connector, endpoint.public_id])
    return f"{base_url.rstrip('/')}{path}"


def enable_telegram_webhook(channel: Channel, base_url: str) -> str:
    """Tell Telegram to push this bot's updates to Pregonero, with the endpoint's secret token.
    From then on ``getUpdates`` is refused; returns the address set."""
    endpoint = endpoint_for(channel)
    url = hook_url(endpoint, base_url, "telegram")
    channel.get_connector().set_webhook(url, endpoint.secret)
    # Fetching would now be refused (409); the connector reads nothing and the webhook delivers.
    channel.config = {**channel.config, "inbound": "webhook"}
    Channel.objects.filter(pk=channel.pk).update(config=channel.config)
    return url
