"""The dispatcher: claims due publications and sends them, exactly once (DESIGN.md).

The life of one publication, as this module drives it::

    queued / retry_wait --claim--> sending --publish--> sent
                                          \\--transient--> retry_wait (backoff) ... failed
                                          \\--permanent--> failed
                                          \\--unclear----> sent (found) | unknown (a person checks)
    sending with an expired lease --reconcile--> queued (idempotent network) | sent | unknown

Guarantees, for any number of workers on SQLite or PostgreSQL:

- A claim is one conditional UPDATE (``WHERE state IN due states``): exactly one worker
  changes the row. A worker may reserve several due rows at once; just before calling the
  network for one, it commits that publication's attempt row, conditional on still holding
  it. A reservation without an attempt row was never sent and is simply queued again.
- Each part of a thread is recorded (and committed) as soon as the network acknowledges it, so
  a crash resumes at the next part; each part's idempotency key is ``<key>-<index>``.
- A call whose outcome cannot be known (the worker died, the connection broke after sending)
  is repeated only when the network honours idempotency keys; otherwise the part is looked up,
  and if the network cannot tell, the publication becomes ``unknown`` for a person to check.
- Every change of a publication after its claim is conditional on its ``attempt_count``, so a
  worker that lost its lease can never overwrite what a later attempt did.

Messages stored in ``last_error`` and on attempts are English source strings with their
parameters kept apart: connectors are called with translation deactivated, and
:func:`pregonero.core.i18n.stored_message` translates them for whoever reads them.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from pregonero.api import webhooks
from pregonero.archive import capture as archive
from pregonero.audit import services as audit
from pregonero.audit.models import Outcome
from pregonero.channels.connectors.base import (
    Connector,
    ConnectorError,
    MoreToSend,
    OutgoingMedia,
    OutgoingPart,
    PublishResult,
)
from pregonero.channels.models import Channel, Health
from pregonero.publishing.models import (
    DUE_STATES,
    AttemptOutcome,
    Category,
    Post,
    PostState,
    Publication,
    PublicationAttempt,
    PublicationState,
)
from pregonero.publishing.storage import local_path

logger = logging.getLogger("pregonero.dispatch")

# Longer than any call can take (outbound timeouts are 30 s) and renewed after every part.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
# Backoff after the n-th failed attempt: 30 s, 2 min, 8 min, 32 min, then every 2 hours.
BACKOFF_FIRST = 30.0
BACKOFF_FACTOR = 4
BACKOFF_MAX = 2 * 3600.0
# Up to 25 % more, so publications that failed together do not all come back together.
JITTER = 0.25
# A claim that loses its race tries the next candidate, a few times at most.
CLAIM_TRIES = 5
# Publications a worker reserves at once when working through a backlog: enough to spread the
# cost of finding due rows, few enough that other workers are not kept waiting.
CLAIM_BATCH = 10

UNKNOWN_MESSAGE = gettext_noop(
    "Pregonero cannot tell whether this was published; check the network and mark it."
)
INTERRUPTED_MESSAGE = gettext_noop("The worker stopped during the call.")
INACTIVE_MESSAGE = gettext_noop("This channel is switched off.")
UNEXPECTED_MESSAGE = gettext_noop("An unexpected error happened while publishing.")

IN_FLIGHT = (PublicationState.SENDING, PublicationState.RETRY_WAIT)
WAITING = (PublicationState.QUEUED, PublicationState.PAUSED)
# Post states the roll-up may change; drafts, withdrawn and rejected posts are left alone.
ROLLED_UP = (
    PostState.APPROVED,
    PostState.SCHEDULED,
    PostState.PUBLISHING,
    PostState.PUBLISHED,
    PostState.PARTLY_PUBLISHED,
    PostState.FAILED,
)


@dataclass(frozen=True)
class Claim:
    """A publication this worker holds the lease on, and the attempt committed for it."""

    publication: Publication
    attempt: PublicationAttempt
    worker: str


def part_key(publication: Publication, index: int) -> str:
    return f"{publication.idempotency_key}-{index}"


def retry_delay(
    attempt_number: int, retry_after: float | None = None, rng: random.Random | None = None
) -> float:
    """Seconds to wait after the ``attempt_number``-th attempt failed: backoff with jitter,
    and never less than the network asked for."""
    base = min(BACKOFF_FIRST * BACKOFF_FACTOR ** max(attempt_number - 1, 0), BACKOFF_MAX)
    jittered = base * (1 + JITTER * (rng or random).random())
    return max(retry_after or 0.0, jittered)


def due(now: datetime) -> QuerySet[Publication]:
    """Publications a worker may claim now. A paused organisation sends only emergencies;
    pausing moves its rows to ``paused``, and this is the second guard."""
    return Publication.objects.filter(state__in=DUE_STATES, due_at__lte=now).filter(
        Q(organisation__publishing_policy__paused_at__isnull=True) | Q(post__category=Category.EMERGENCY)
    )


def _first_due(moment: datetime, limit: int) -> list[Publication]:
    """Up to ``limit`` publications due first, locked on PostgreSQL, with what publishing reads.

    One query per due state, ordered by ``due_at`` alone: each walks the (state, due_at) index
    and stops after ``limit`` rows. ``state IN (...)``, or a tie-break on ``id`` (PostgreSQL's
    index does not order equal times by id), would sort every due row on every claim. On
    PostgreSQL, rows another worker is claiming are skipped rather than waited for; SQLite
    ignores the lock and serialises writers with its IMMEDIATE transactions.
    """
    found = [
        row
        for state in DUE_STATES
        for row in due(moment)
        .filter(state=state)
        .select_related("post", "variant", "channel", "organisation")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("due_at")[:limit]
    ]
    return sorted(found, key=lambda row: (row.due_at, row.pk))[:limit]


def reserve(
    worker: str, *, limit: int = CLAIM_BATCH, now: datetime | None = None, lease: timedelta = LEASE
) -> list[Publication]:
    """Take up to ``limit`` due publications for ``worker`` in one transaction.

    A reserved publication is ``sending`` under ``worker``'s lease with its attempt number
    counted, but no attempt row yet: :func:`begin_attempt` writes that row just before the
    network is called. A reservation without its attempt row therefore proves the network was
    never called, and reconciliation puts it back in the queue (worker died between the two).
    Reserving several at once spreads the cost of finding due rows over all of them.
    """
    with transaction.atomic():
        moment = now or timezone.now()
        candidates = _first_due(moment, limit)
        if not candidates:
            return []
        until = moment + lease
        ids = [row.pk for row in candidates]
        won = Publication.objects.filter(pk__in=ids, state__in=DUE_STATES, due_at__lte=moment).update(
            state=PublicationState.SENDING,
            lease_until=until,
            claimed_by=worker[:80],
            attempt_count=F("attempt_count") + 1,
        )
        if won != len(ids):
            # Not expected (the rows are locked, or the database is), but never assume.
            ours = set(
                Publication.objects.filter(
                    pk__in=ids, state=PublicationState.SENDING, claimed_by=worker[:80], lease_until=until
                ).values_list("pk", flat=True)
            )
            candidates = [row for row in candidates if row.pk in ours]
        for row in candidates:
            row.state, row.lease_until = PublicationState.SENDING, until
            row.claimed_by, row.attempt_count = worker[:80], row.attempt_count + 1
        Post.objects.filter(
            pk__in={row.post_id for row in candidates},
            state__in=(PostState.APPROVED, PostState.SCHEDULED, PostState.PARTLY_PUBLISHED, PostState.FAILED),
        ).update(state=PostState.PUBLISHING, updated_at=moment)
    return candidates


def begin_attempt(publication: Publication, worker: str, *, lease: timedelta = LEASE) -> Claim | None:
    """Commit the attempt row of a reserved publication, if ``worker`` still holds it.

    The check and the row are one transaction: a reconciler that took the reservation over
    changed ``claimed_by``, so the check fails and the network is not called.
    """
    with transaction.atomic():
        moment = timezone.now()
        held = Publication.objects.filter(
            pk=publication.pk,
            state=PublicationState.SENDING,
            attempt_count=publication.attempt_count,
            claimed_by=worker[:80],
        ).update(lease_until=moment + lease)
        if not held:
            logger.warning("Publication %s: reservation lost before the call", publication.pk)
            return None
        publication.lease_until = moment + lease
        attempt = PublicationAttempt.objects.create(
            publication=publication, number=publication.attempt_count, worker=worker[:80], started_at=moment
        )
    return Claim(publication, attempt, worker)


def release(publications: Iterable[Publication], worker: str) -> int:
    """Give back reservations this worker will not use (it is stopping); returns how many."""
    released = 0
    for publication in publications:
        released += Publication.objects.filter(
            pk=publication.pk,
            state=PublicationState.SENDING,
            attempt_count=publication.attempt_count,
            claimed_by=worker[:80],
        ).update(state=PublicationState.QUEUED, lease_until=None, attempt_count=F("attempt_count") - 1)
    return released


def claim_next(worker: str, *, now: datetime | None = None, lease: timedelta = LEASE) -> Claim | None:
    """Claim the publication due first and commit its attempt; None when nothing is due."""
    for _ in range(CLAIM_TRIES):
        reserved = reserve(worker, limit=1, now=now, lease=lease)
        if not reserved:
            return None
        claim = begin_attempt(reserved[0], worker, lease=lease)
        if claim is not None:
            return claim
    return None


def part_texts(publication: Publication) -> list[str]:
    parts = publication.variant.parts or [publication.variant.body]
    return [part if isinstance(part, str) else part["text"] for part in parts]


def _outgoing(
    publication: Publication, connector: Connector, texts: list[str], index: int, files: ExitStack
) -> OutgoingPart:
    media: tuple[OutgoingMedia, ...] = ()
    if index == 0 and connector.capabilities.media:
        media = tuple(
            OutgoingMedia(
                path=local_path(item.file, files),
                mime=item.mime,
                description=item.description,
                captions_path=local_path(item.captions, files) if item.captions else None,
                name=item.file.name,
            )
            for item in publication.post.media.all()
        )
    previous = publication.remote_parts[index - 1]["remote_id"] if index else None
    return OutgoingPart(
        text=texts[index],
        language=publication.variant.language,
        index=index,
        total=len(texts),
        idempotency_key=part_key(publication, index),
        title=publication.post.title,
        media=media,
        reply_to=previous,
    )


def _as_part(result: PublishResult) -> dict[str, str]:
    return {"remote_id": result.remote_id, "url": result.url}


def publish(claim: Claim, *, lease: timedelta = LEASE) -> str:
    """Send a claimed publication part by part; return the state it ended in.

    Returns ``"lost"`` when another worker or a person changed the row meanwhile (the lease
    expired); what was published is still recorded.
    """
    publication = claim.publication
    if not publication.channel.is_active:
        return _refused(claim, ConnectorError(INACTIVE_MESSAGE, permanent=True))
    connector: Connector | None = None
    calling = False
    try:
        connector = publication.channel.get_connector()
        texts = part_texts(publication)
        # Messages are kept as English sources and translated when a person reads them.
        with translation.override(None), ExitStack() as files:
            for index in range(len(publication.remote_parts), len(texts)):
                part = _outgoing(publication, connector, texts, index, files)
                calling = True
                result = connector.publish(part)
                calling = False
                publication.remote_parts = [*publication.remote_parts, _as_part(result)]
                if index < len(texts) - 1 and not _record_part(claim, lease):
                    return "lost"
    except ConnectorError as error:
        return _after_error(claim, connector, error, ambiguous=calling and getattr(error, "ambiguous", False))
    except Exception as error:
        # A bug or an unforeseen answer. If it happened during the call, the network may have
        # published: treat it like a dropped connection.
        logger.exception("Publication %s: unexpected error", publication.pk)
        wrapped = ConnectorError(UNEXPECTED_MESSAGE)
        wrapped.detail = f"{type(error).__name__}: {error}"
        return _after_error(claim, connector, wrapped, ambiguous=calling)
    return _sent(claim)


def _record_part(claim: Claim, lease: timedelta) -> bool:
    """Commit the parts published so far and renew the lease; False if the lease was lost."""
    publication = claim.publication
    mine = Publication.objects.filter(pk=publication.pk, attempt_count=claim.attempt.number)
    if mine.filter(state=PublicationState.SENDING).update(
        remote_parts=publication.remote_parts, lease_until=timezone.now() + lease
    ):
        return True
    # Someone reconciled the row while the call ran: the part is published all the same.
    mine.update(remote_parts=publication.remote_parts)
    logger.warning("Publication %s: lease lost during a thread", publication.pk)
    return False


def _sent(claim: Claim) -> str:
    publication, now = claim.publication, timezone.now()
    first = publication.remote_parts[0]
    changed = _conclude(
        publication,
        claim.attempt.number,
        # The row may have been marked unknown by a reconciler meanwhile; success is the truth.
        from_states=(PublicationState.SENDING, PublicationState.UNKNOWN),
        state=PublicationState.SENT,
        fields={
            "remote_parts": publication.remote_parts,
            "remote_id": first["remote_id"],
            "remote_url": first["url"],
            "sent_at": now,
            "last_error": "",
            "last_error_params": {},
        },
        attempt=claim.attempt,
        attempt_fields={"outcome": AttemptOutcome.SUCCESS, "finished_at": now},
        audit_action="publication.sent",
    )
    channel = publication.channel
    # Read at claim time: a channel already known to work is not written to on every post.
    if changed and (channel.consecutive_failures or channel.health != Health.OK):
        Channel.objects.filter(pk=channel.pk).update(
            consecutive_failures=0, health=Health.OK, health_message=""
        )
    if not changed:
        # A reconciler took the row over during the call: keep what was published all the same.
        Publication.objects.filter(pk=publication.pk, attempt_count=claim.attempt.number).update(
            remote_parts=publication.remote_parts
        )
        return "lost"
    return PublicationState.SENT


def _after_error(claim: Claim, connector: Connector | None, error: ConnectorError, *, ambiguous: bool) -> str:
    if error.permanent:
        return _refused(claim, error)
    if ambiguous and connector is not None and not connector.capabilities.idempotent_publish:
        _close_attempt(claim.attempt, AttemptOutcome.TRANSIENT, error)
        try:
            return settle_unclear(claim.publication, connector, claim.attempt.number)
        except Exception:
            # The lease is left to expire: reconciliation asks the network again later.
            logger.exception("Publication %s: cannot look the part up now", claim.publication.pk)
            return PublicationState.SENDING
    return _transient(claim, error)


def _detail(error: ConnectorError) -> str:
    detail = getattr(error, "detail", "")
    return f"{error.message}\n{detail}" if detail else error.message


def _close_attempt(attempt: PublicationAttempt, outcome: str, error: ConnectorError) -> None:
    attempt.outcome, attempt.finished_at = outcome, timezone.now()
    attempt.error, attempt.error_params = _detail(error), error.params
    attempt.retry_after = error.retry_after
    attempt.save(update_fields=["outcome", "finished_at", "error", "error_params", "retry_after"])


def _refused(claim: Claim, error: ConnectorError) -> str:
    publication = claim.publication
    changed = _conclude(
        publication,
        claim.attempt.number,
        from_states=(PublicationState.SENDING,),
        state=PublicationState.FAILED,
        fields={
            "last_error": error.message,
            "last_error_params": error.params,
            "remote_parts": publication.remote_parts,
        },
        attempt=claim.attempt,
        attempt_fields=_attempt_fields(AttemptOutcome.PERMANENT, error),
        audit_action="publication.failed",
        audit_outcome=Outcome.FAILURE,
    )
    auth = getattr(error, "status", None) in {401, 403}
    _channel_trouble(publication.channel_id, _channel_text(error), Health.BROKEN if auth else Health.DEGRADED)
    return PublicationState.FAILED if changed else "lost"


def _transient(claim: Claim, error: ConnectorError) -> str:
    publication, number = claim.publication, claim.attempt.number
    fields = {
        "last_error": error.message,
        "last_error_params": error.params,
        "remote_parts": publication.remote_parts,
    }
    progress = isinstance(error, MoreToSend)
    if progress:
        # Work done, more to do: called again soon, and it is not a failed attempt.
        state, action = PublicationState.RETRY_WAIT, None
        fields["due_at"] = timezone.now() + timedelta(seconds=error.retry_after or 0)
    elif _failed_attempts(publication) + 1 >= MAX_ATTEMPTS:
        state, action = PublicationState.FAILED, "publication.failed"
    else:
        state, action = PublicationState.RETRY_WAIT, None
        fields["due_at"] = timezone.now() + timedelta(seconds=retry_delay(number, error.retry_after))
    changed = _conclude(
        publication,
        number,
        from_states=(PublicationState.SENDING,),
        state=state,
        fields=fields,
        attempt=claim.attempt,
        attempt_fields=_attempt_fields(
            AttemptOutcome.SUCCESS if progress else AttemptOutcome.TRANSIENT, error
        ),
        audit_action=action,
        audit_outcome=Outcome.FAILURE,
    )
    if not progress:
        _channel_trouble(publication.channel_id, _channel_text(error), Health.DEGRADED)
    return state if changed else "lost"


def _failed_attempts(publication: Publication) -> int:
    """Earlier attempts that failed; calls that made progress (:class:`MoreToSend`) do not count."""
    return PublicationAttempt.objects.filter(
        publication=publication,
        outcome__in=(AttemptOutcome.TRANSIENT, AttemptOutcome.INTERRUPTED),
    ).count()


def _attempt_fields(outcome: str, error: ConnectorError) -> dict:
    return {
        "outcome": outcome,
        "finished_at": timezone.now(),
        "error": _detail(error),
        "error_params": error.params,
        "retry_after": error.retry_after,
    }


def _channel_text(error: ConnectorError) -> str:
    # The channel keeps no parameters: a message that has some is stored filled in, in English.
    return str(error) if error.params else error.message


def _channel_trouble(channel_id: int, message: str, health: str) -> None:
    """Show the latest problem on the channel; a broken channel stays broken until it works."""
    Channel.objects.filter(pk=channel_id).update(consecutive_failures=F("consecutive_failures") + 1)
    Channel.objects.filter(pk=channel_id).exclude(health=Health.BROKEN).update(
        health=health, health_message=message
    )


def _conclude(
    publication: Publication,
    attempt_number: int,
    *,
    from_states: Iterable[str],
    state: str,
    fields: dict,
    attempt: PublicationAttempt | None = None,
    attempt_fields: dict | None = None,
    audit_action: str | None = None,
    audit_outcome: str = Outcome.SUCCESS,
) -> bool:
    """Move the publication to ``state`` if attempt ``attempt_number`` still owns it; record
    the attempt and the audit entry and roll the post up, all in one transaction."""
    with transaction.atomic():
        # The post is locked first, so workers finishing publications of the same post take
        # turns, and the last one sees every other's committed state.
        post = Post.objects.select_for_update().filter(pk=publication.post_id).only("state").first()
        changed = Publication.objects.filter(
            pk=publication.pk, attempt_count=attempt_number, state__in=tuple(from_states)
        ).update(state=state, lease_until=None, **fields)
        if attempt is not None and attempt_fields:
            for name, value in attempt_fields.items():
                setattr(attempt, name, value)
            attempt.save(update_fields=list(attempt_fields))
        if changed and audit_action:
            audit.record(
                audit_action,
                organisation=publication.organisation,
                obj=publication,
                object_repr=f"{publication.post} → {publication.channel}"[:255],
                outcome=audit_outcome,
                details={
                    "attempt": attempt_number,
                    "channel": publication.channel_id,
                    "state": state,
                    "remote_id": fields.get("remote_id", ""),
                    "error": fields.get("last_error", ""),
                },
            )
        if changed and state == PublicationState.SENT:
            for name, value in fields.items():
                setattr(publication, name, value)
            archive.publication_sent(publication)
        rolled_up = _roll_up(post) if changed and post is not None else None
        if changed:
            # Outgoing webhooks (docs/api.md) hear of it after the commit; their failure stops nothing.
            concluded = partial(webhooks.publication_concluded, publication.pk, state, rolled_up)
            transaction.on_commit(concluded, robust=True)
        if changed and state in (PublicationState.FAILED, PublicationState.UNKNOWN):
            _tell_people_on_commit(publication.pk)
    if not changed:
        logger.warning("Publication %s: attempt %s no longer owns it", publication.pk, attempt_number)
    return bool(changed)


def _tell_people_on_commit(publication_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from pregonero.publishing.tasks import tell_people_about

    transaction.on_commit(lambda: tell_people_about.enqueue(publication_id))


def settle_unclear(publication: Publication, connector: Connector, attempt_number: int) -> str:
    """The last call for the next part may have published it: look it up; if found, record
    it and carry on (or finish); if the network cannot tell, mark ``unknown``."""
    texts = part_texts(publication)
    index = len(publication.remote_parts)
    found = None
    if index < len(texts):
        with translation.override(None):
            found = connector.find_published(part_key(publication, index))
        if found is None:
            _conclude(
                publication,
                attempt_number,
                from_states=(PublicationState.SENDING,),
                state=PublicationState.UNKNOWN,
                fields={
                    "last_error": UNKNOWN_MESSAGE,
                    "last_error_params": {},
                    "remote_parts": publication.remote_parts,
                },
                audit_action="publication.unknown",
                audit_outcome=Outcome.FAILURE,
            )
            return PublicationState.UNKNOWN
        publication.remote_parts = [*publication.remote_parts, _as_part(found)]
    if len(publication.remote_parts) >= len(texts):
        first = publication.remote_parts[0]
        changed = _conclude(
            publication,
            attempt_number,
            from_states=(PublicationState.SENDING,),
            state=PublicationState.SENT,
            fields={
                "remote_parts": publication.remote_parts,
                "remote_id": first["remote_id"],
                "remote_url": first["url"],
                "sent_at": timezone.now(),
                "last_error": "",
                "last_error_params": {},
            },
            audit_action="publication.sent",
        )
        return PublicationState.SENT if changed else "lost"
    # Later parts were never sent: the crash happened during this one, so carrying on is safe.
    changed = _conclude(
        publication,
        attempt_number,
        from_states=(PublicationState.SENDING,),
        state=PublicationState.QUEUED,
        fields={"remote_parts": publication.remote_parts, "due_at": timezone.now()},
    )
    return PublicationState.QUEUED if changed else "lost"


def reconcile_leases(
    worker: str, *, now: datetime | None = None, lease: timedelta = LEASE, limit: int = 100
) -> dict[int, str]:
    """Recover publications whose worker stopped mid-call; return ``{pk: new state}``.

    Each row is taken over with a conditional UPDATE on the lease it was seen with, so two
    reconcilers never handle the same row. A reservation without its attempt row never reached
    the network and goes back to the queue. Otherwise the pending attempt becomes
    ``interrupted``; a network that honours idempotency keys gets the call again (same key);
    otherwise the part is looked up, and without an answer the publication becomes ``unknown``.
    """
    now = now or timezone.now()
    expired = Publication.objects.filter(state=PublicationState.SENDING, lease_until__lt=now)
    outcomes: dict[int, str] = {}
    for pk, seen_lease, attempt_number in expired.values_list("pk", "lease_until", "attempt_count")[:limit]:
        taken = Publication.objects.filter(
            pk=pk, state=PublicationState.SENDING, lease_until=seen_lease, attempt_count=attempt_number
        ).update(lease_until=now + lease, claimed_by=worker[:80])
        if not taken:
            continue
        publication = Publication.objects.select_related("post", "variant", "channel", "organisation").get(
            pk=pk
        )
        if not PublicationAttempt.objects.filter(publication=publication, number=attempt_number).exists():
            outcomes[pk] = _requeue_unstarted(publication, attempt_number)
            continue
        PublicationAttempt.objects.filter(publication=publication, outcome=AttemptOutcome.PENDING).update(
            outcome=AttemptOutcome.INTERRUPTED, finished_at=now, error=INTERRUPTED_MESSAGE
        )
        outcomes[pk] = _recover(publication, attempt_number)
    return outcomes


def _requeue_unstarted(publication: Publication, attempt_number: int) -> str:
    """A reservation whose attempt was never written: the network was never called."""
    changed = _conclude(
        publication,
        attempt_number,
        from_states=(PublicationState.SENDING,),
        state=PublicationState.QUEUED,
        fields={"due_at": timezone.now(), "attempt_count": F("attempt_count") - 1},
    )
    return PublicationState.QUEUED if changed else "lost"


def _recover(publication: Publication, attempt_number: int) -> str:
    try:
        connector = publication.channel.get_connector()
        if connector.capabilities.idempotent_publish:
            # Repeating the call with the same key cannot publish twice.
            _conclude(
                publication,
                attempt_number,
                from_states=(PublicationState.SENDING,),
                state=PublicationState.QUEUED,
                fields={"due_at": timezone.now()},
            )
            return PublicationState.QUEUED
        return settle_unclear(publication, connector, attempt_number)
    except Exception:
        # The network could not be asked now; the lease taken above expires and a later
        # reconciliation asks again.
        logger.exception("Publication %s: reconciliation failed; will try again", publication.pk)
        return PublicationState.SENDING


def post_state_for(states: Iterable[str]) -> str | None:
    """The post state its publications' states add up to; None when nothing has started."""
    present = set(states)
    if not present:
        return None
    settled = present - set(IN_FLIGHT) - set(WAITING)
    if present & set(IN_FLIGHT) or (present & set(WAITING) and settled):
        return PostState.PUBLISHING
    if present & set(WAITING):
        return None
    if present == {PublicationState.SENT}:
        return PostState.PUBLISHED
    if PublicationState.SENT in present:
        return PostState.PARTLY_PUBLISHED
    return PostState.FAILED


def roll_up_post(post_id: int) -> str | None:
    """Bring the post's state in line with its publications; return the new state if changed.

    Locks the post, so the last of several workers finishing together sees every
    publication's final state. For callers outside the dispatcher (a person marking an
    unknown publication as sent, a cancellation).
    """
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).only("state").first()
        return _roll_up(post) if post is not None else None


def _roll_up(post: Post) -> str | None:
    if post.state not in ROLLED_UP:
        return None
    new = post_state_for(Publication.objects.filter(post_id=post.pk).values_list("state", flat=True))
    if new is None or new == post.state:
        return None
    Post.objects.filter(pk=post.pk).update(state=new, updated_at=timezone.now())
    return new


def dispatch_next(
    worker: str, *, now: datetime | None = None, lease: timedelta = LEASE
) -> tuple[int, str] | None:
    """Claim and send one due publication; ``(pk, final state)``, or None when none is due."""
    claim = claim_next(worker, now=now, lease=lease)
    if claim is None:
        return None
    return claim.publication.pk, publish(claim, lease=lease)


def dispatch_some(
    worker: str,
    *,
    limit: int = CLAIM_BATCH,
    now: datetime | None = None,
    lease: timedelta = LEASE,
    stop: threading.Event | None = None,
) -> list[tuple[int, str]]:
    """Reserve up to ``limit`` due publications and send them one by one; ``[(pk, state)]``,
    empty when none is due. Reservations not reached when ``stop`` is set are given back."""
    reserved = reserve(worker, limit=limit, now=now, lease=lease)
    outcomes = []
    for index, publication in enumerate(reserved):
        if stop is not None and stop.is_set():
            release(reserved[index:], worker)
            break
        claim = begin_attempt(publication, worker, lease=lease)
        outcomes.append((publication.pk, "lost" if claim is None else publish(claim, lease=lease)))
    return outcomes
