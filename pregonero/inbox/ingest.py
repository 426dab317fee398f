"""Bring inbound messages from every channel into conversations, exactly once.

Safe with several workers at once: a message is unique per ``(channel, remote_id)`` and a
conversation per ``(channel, key)``, so a second worker storing the same message hits the
constraint and treats it as already stored (or as an edit of it); the stored cursor only moves
forward from the value the worker read (``UPDATE ... WHERE cursor = <read>``), so two workers
that fetched the same batch cannot set it back.

Grouping (the conversation ``key``):
- a private message: ``dm:<author>``, one private chat per citizen per channel; on a network
  that keeps a person's threads apart (e-mail, ``InboundMessage.private_thread``),
  ``private:<thread>``, one conversation per thread;
- an answer to a message already stored (the citizen's, or our reply): that message's
  conversation, so a reply chain stays together;
- an answer to (or quote of) one of our posts: ``thread:<post>:<author>``, the citizen's
  thread under that post;
- a mention elsewhere: ``mention:<network conversation or message>:<author>``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from pregonero.api import webhooks
from pregonero.archive import capture as archive
from pregonero.channels.connectors.base import Connector, ConnectorError
from pregonero.channels.connectors.inbound import InboundMessage, MessageKind
from pregonero.channels.models import Channel
from pregonero.inbox import enrichment, targets
from pregonero.inbox.models import (
    FINISHED_STATES,
    Conversation,
    Direction,
    InboundCursor,
    Kind,
    Message,
    MessageRevision,
    State,
)

logger = logging.getLogger(__name__)

KEY_LENGTH = Conversation._meta.get_field("key").max_length
NEW, EDITED, DELETED, DUPLICATE, IGNORED = "new", "edited", "deleted", "duplicate", "ignored"


@dataclass
class Outcome:
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def add(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


def can_fetch(channel: Channel) -> bool:
    """Whether the channel's connector implements reading inbound messages."""
    try:
        connector_type = type(channel.get_connector())
    except (LookupError, ImportError):
        # A connector named in the table whose package is not installed here.
        return False
    return connector_type.fetch_inbound is not Connector.fetch_inbound


def ingest_all(now: datetime | None = None) -> dict[str, int]:
    """One round over every active channel: what its connector can fetch, and what its network
    pushed to the webhook receivers. A failing channel does not stop the others (its error is
    kept on its cursor row)."""
    totals: dict[str, int] = {}
    for channel in Channel.objects.filter(is_active=True).select_related("organisation"):
        outcomes = [take_webhook_events(channel, now=now)]
        if can_fetch(channel):
            outcomes.append(ingest_channel(channel, now=now))
        for outcome in outcomes:
            for what, count in outcome.counts.items():
                totals[what] = totals.get(what, 0) + count
    return totals


# Events taken per channel per round; the rest wait for the next round.
EVENTS_PER_ROUND = 500


def take_webhook_events(channel: Channel, now: datetime | None = None) -> Outcome:
    """Store the messages the webhook receivers parsed out of this channel's events.

    Events are taken in id order up to the first one not parsed yet, so one parsed late is
    not skipped; taking an event twice is harmless (messages are deduplicated), and a message
    that also came by polling is stored once.
    """
    outcome = Outcome()
    if not apps.is_installed("pregonero.inbound"):
        return outcome
    from pregonero.inbound.models import RawEvent
    from pregonero.inbound.processing import message_from_json

    events = RawEvent.objects.filter(channel=channel, signature_ok=True)
    if not events.exists():
        return outcome
    row = _cursor_row(channel)
    mark = row.event_mark
    later = events.filter(pk__gt=mark)
    waiting = later.filter(processed_at__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    ready = later.filter(processed_at__isnull=False)
    if waiting is not None:
        ready = ready.filter(pk__lt=waiting)
    last = mark
    for event in ready.order_by("pk")[:EVENTS_PER_ROUND]:
        for data in event.messages:
            outcome.add(store(channel, message_from_json(data), now=now))
        last = event.pk
    InboundCursor.objects.filter(pk=row.pk, event_mark=mark).update(event_mark=last)
    return outcome


def _cursor_row(channel: Channel) -> InboundCursor:
    try:
        with transaction.atomic():
            return InboundCursor.objects.get_or_create(channel=channel)[0]
    except IntegrityError:
        return InboundCursor.objects.get(channel=channel)


def ingest_channel(channel: Channel, now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    row = _cursor_row(channel)
    read = row.cursor
    outcome = Outcome()
    try:
        batch = channel.get_connector().fetch_inbound(read or None)
    except ConnectorError as error:
        InboundCursor.objects.filter(pk=row.pk).update(error=str(error)[:2000], fetched_at=now)
        outcome.error = str(error)
        logger.warning("Inbound fetch failed for channel %s: %s", channel.pk, error)
        return outcome
    for item in batch.messages:
        outcome.add(store(channel, item, now=now))
    InboundCursor.objects.filter(pk=row.pk, cursor=read).update(
        cursor=batch.cursor or read, fetched_at=now, error=""
    )
    return outcome


def store(channel: Channel, item: InboundMessage, now: datetime | None = None) -> str:
    """Store one inbound message; returns what happened (new, edited, deleted, duplicate, ignored)."""
    now = now or timezone.now()
    if _known(channel, item.remote_id):
        return _update(channel, item, now)
    if item.deleted:
        # The deletion of a message never seen: nothing to keep.
        return IGNORED
    try:
        with transaction.atomic():
            _create(channel, item, now)
    except IntegrityError:
        # Another worker stored it between our check and our insert.
        return _update(channel, item, now)
    return NEW


def _known(channel: Channel, remote_id: str) -> bool:
    return Message.objects.filter(channel=channel, remote_id=remote_id).exists()


def _raw(item: InboundMessage) -> dict:
    """The normalised message as it came in, as JSON."""
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in dataclasses.asdict(item).items()
    }


def _placement(channel: Channel, item: InboundMessage) -> tuple[str, str, str]:
    """(key, kind, post_remote_id) of the conversation a message opens."""
    author = item.author_id or item.author_handle
    if item.kind == MessageKind.DIRECT:
        if item.private_thread:
            return f"private:{item.private_thread}", Kind.PRIVATE, ""
        return f"dm:{author}", Kind.PRIVATE, ""
    if item.kind in (MessageKind.REPLY, MessageKind.QUOTE):
        post = item.in_reply_to if item.kind == MessageKind.REPLY else (item.quoted or item.in_reply_to)
        return f"thread:{post}:{author}", Kind.THREAD, post or ""
    return f"mention:{item.conversation or item.remote_id}:{author}", Kind.MENTION, ""


def _conversation_for(
    channel: Channel, item: InboundMessage, arrived: datetime, text_enrichment
) -> Conversation:
    if item.in_reply_to and (item.kind != MessageKind.DIRECT or item.private_thread):
        parent = (
            Message.objects.filter(channel=channel, remote_id=item.in_reply_to)
            .select_related("conversation")
            .first()
        )
        # A private message follows only a private conversation (never into a public thread).
        private_ok = item.kind != MessageKind.DIRECT or (parent and parent.conversation.kind == Kind.PRIVATE)
        if parent is not None and private_ok:
            return parent.conversation
    key, kind, post = _placement(channel, item)
    if len(key) > KEY_LENGTH:
        # Networks' ids are short today; a longer key is kept unique by its digest.
        key = f"{key.split(':', 1)[0]}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    organisation = channel.organisation
    found = Conversation.objects.filter(channel=channel, key=key).first()
    if found is not None:
        return found
    suggestion = enrichment.suggest(organisation, item.text, channel.pk, text_enrichment.language)
    conversation, _created = Conversation.objects.get_or_create(
        channel=channel,
        key=key,
        defaults={
            "organisation": organisation,
            "kind": kind,
            "post_remote_id": post,
            "citizen_id": item.author_id,
            "citizen_handle": item.author_handle,
            "citizen_name": item.author_name[:255],
            "language": text_enrichment.language,
            "department": channel.owner_department if channel.owner_department_id else None,
            "suggested_department_id": suggestion.department_id,
            "suggestion_confidence": suggestion.confidence,
            "suggestion_reason": suggestion.reason,
            "created_at": arrived,
            "last_message_at": arrived,
        },
    )
    return conversation


def _create(channel: Channel, item: InboundMessage, now: datetime) -> Message:
    found = enrichment.enrich(item.text, item.language)
    # The clock starts when the citizen wrote, unless the network's clock is ahead of ours.
    arrived = min(item.created_at or now, now)
    conversation = _conversation_for(channel, item, arrived, found)
    message = Message.objects.create(
        conversation=conversation,
        channel=channel,
        direction=Direction.IN,
        remote_id=item.remote_id,
        in_reply_to=item.in_reply_to or "",
        author_handle=item.author_handle,
        author_name=item.author_name[:255],
        text=item.text,
        url=item.url[:500],
        created_at=item.created_at,
        received_at=now,
        edited=item.edited_at is not None,
        edited_at=item.edited_at,
        raw=_raw(item),
        **_enriched_fields(found),
    )
    _citizen_wrote(conversation.pk, arrived, found.language)
    archive.message_received(message)
    # Outgoing webhooks (docs/api.md) hear of it after the commit; their failure stops nothing.
    transaction.on_commit(partial(webhooks.message_received, message.pk), robust=True)
    return message


def _enriched_fields(found: enrichment.Enrichment) -> dict:
    return {
        "language": found.language,
        "language_confidence": found.language_confidence,
        "personal_data": found.personal_data,
        "sentiment": found.sentiment.score,
        "sentiment_words": [list(pair) for pair in found.sentiment.words],
    }


def _citizen_wrote(conversation_id: int, arrived: datetime, language: str) -> None:
    """A new message from the citizen: the conversation is open again and, if nobody owed an
    answer, a new clock starts."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
    changed = ["last_message_at"]
    conversation.last_message_at = max(conversation.last_message_at, arrived)
    if conversation.state in (*FINISHED_STATES, State.WAITING_CITIZEN):
        conversation.state = State.OPEN
        changed.append("state")
    if conversation.due_at is None:
        conversation.due_at = targets.due_at(conversation.organisation, conversation.kind, arrived)
        conversation.overdue_notified_at = None
        changed += ["due_at", "overdue_notified_at"]
    if not conversation.language and language:
        conversation.language = language
        changed.append("language")
    conversation.save(update_fields=changed)


def _update(channel: Channel, item: InboundMessage, now: datetime) -> str:
    """An already stored message seen again: an edit or a deletion changes it, keeping the
    previous text as a revision; anything else is a duplicate."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(channel=channel, remote_id=item.remote_id)
        if item.deleted:
            if message.deleted:
                return DUPLICATE
            MessageRevision.objects.create(
                message=message, text=message.text, replaced_at=now, reason=DELETED
            )
            message.deleted = True
            message.deleted_seen_at = now
            message.save(update_fields=["deleted", "deleted_seen_at"])
            archive.message_deleted(message, by=message.author_handle)
            return DELETED
        newer = item.edited_at is not None and (
            message.edited_at is None or item.edited_at > message.edited_at
        )
        if not newer:
            return DUPLICATE
        previous_text = message.text
        if item.text != message.text:
            MessageRevision.objects.create(message=message, text=message.text, replaced_at=now, reason=EDITED)
            found = enrichment.enrich(item.text, item.language)
            for name, value in _enriched_fields(found).items():
                setattr(message, name, value)
            message.text = item.text
        message.edited = True
        message.edited_at = item.edited_at
        message.raw = _raw(item)
        message.save()
        archive.message_edited(message, previous_text)
        return EDITED
