"""Turning stored webhook events into inbound messages, after they were acknowledged.

Each event is parsed by its network's pure parser; the messages are kept on the event as JSON
(:func:`message_to_json`) for the inbox to take. A payload of a type nobody parses yields no
messages and stays raw; a parser that fails records the error on the event and the others go
on. Several workers may run this at once: rows are claimed with ``SKIP LOCKED``.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from pregonero.channels.connectors.inbound import InboundMedia, InboundMessage, MessageKind
from pregonero.inbound import receivers
from pregonero.inbound.models import RawEvent

logger = logging.getLogger("pregonero.inbound")
BATCH = 200


def message_to_json(message: InboundMessage) -> dict:
    data = dataclasses.asdict(message)
    data["kind"] = str(message.kind)
    for name in ("created_at", "edited_at"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def message_from_json(data: dict) -> InboundMessage:
    values = dict(data)
    values["kind"] = MessageKind(values["kind"])
    values["media"] = tuple(InboundMedia(**item) for item in values.get("media") or ())
    for name in ("created_at", "edited_at"):
        values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
    return InboundMessage(**values)


def process_pending(limit: int = BATCH) -> dict[str, int]:
    """Parse up to ``limit`` verified, unprocessed events; return counts."""
    counts = {"processed": 0, "messages": 0, "failed": 0}
    with transaction.atomic():
        events = list(
            RawEvent.objects.select_for_update(skip_locked=True)
            .select_related("channel")
            .filter(signature_ok=True, processed_at__isnull=True)
            .order_by("received_at", "pk")[:limit]
        )
        for event in events:
            _process(event, counts)
    return counts


def _process(event: RawEvent, counts: dict[str, int]) -> None:
    receiver = receivers.RECEIVERS.get(event.network)
    try:
        messages = receiver.parse(event.payload(), event.channel) if receiver else []
    except Exception as error:  # a parser bug must not block the other events
        logger.exception("Cannot parse %s event %s", event.network, event.pk)
        event.error = f"{type(error).__name__}: {error}"[:500]
        counts["failed"] += 1
        messages = []
    event.messages = [message_to_json(message) for message in messages]
    event.processed_at = timezone.now()
    event.save(update_fields=["messages", "processed_at", "error"])
    counts["processed"] += 1
    counts["messages"] += len(messages)
