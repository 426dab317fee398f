"""Health of connected accounts: ask each network whether the access still works.

A blip must not alarm anyone, and an account that really broke must say what to do:

- the network answers: **Working**, failures forgotten;
- the network refuses the access (permanent error, e.g. a revoked token): **Needs attention**
  at once, with the network's reason ("reconnect the channel");
- the network cannot be reached or is busy: the failure is counted, and the health changes
  to **Having problems** only after :data:`FAILURES_BEFORE_ALARM` in a row. A channel that
  needs attention stays so until a check or a publication succeeds.

Messages are stored as English sources and translated when shown (``stored_message``).
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from pregonero.audit import services as audit
from pregonero.channels.connectors.base import ConnectorError
from pregonero.channels.models import Channel, Health

logger = logging.getLogger("pregonero.channels.health")

# At a check every 15 minutes, three failures are 45 minutes without an answer.
FAILURES_BEFORE_ALARM = 3
UNEXPECTED = gettext_noop("Pregonero could not check this channel because of an unexpected error.")
NOT_INSTALLED = gettext_noop("The code of this network is not installed on this server.")


def check(channel: Channel) -> str:
    """Check one channel now; save and return its health."""
    now = timezone.now()
    try:
        connector = channel.get_connector()
    except (ImportError, LookupError):
        return _set(channel, Health.BROKEN, NOT_INSTALLED, now=now)
    try:
        with translation.override(None):
            connector.check_health()
    except ConnectorError as error:
        message = str(error) if error.params else error.message
        if error.permanent:
            return _set(channel, Health.BROKEN, message, now=now, failed=True)
        return _blip(channel, message, now=now)
    except Exception:
        logger.exception("Health check of channel %s failed unexpectedly", channel.pk)
        return _blip(channel, UNEXPECTED, now=now)
    return _set(channel, Health.OK, "", now=now)


def _blip(channel: Channel, reason: str, *, now) -> str:
    failures = channel.consecutive_failures + 1
    if failures < FAILURES_BEFORE_ALARM or channel.health == Health.BROKEN:
        # Count it, say nothing yet; a broken channel keeps its own, clearer, message.
        Channel.objects.filter(pk=channel.pk).update(
            consecutive_failures=F("consecutive_failures") + 1, health_checked_at=now
        )
        channel.consecutive_failures, channel.health_checked_at = failures, now
        return channel.health
    return _set(channel, Health.DEGRADED, reason, now=now, failed=True)


def _set(channel: Channel, health: str, message: str, *, now, failed: bool = False) -> str:
    before = channel.health
    failures = channel.consecutive_failures + 1 if failed else 0
    Channel.objects.filter(pk=channel.pk).update(
        health=health,
        health_message=message,
        health_checked_at=now,
        consecutive_failures=F("consecutive_failures") + 1 if failed else 0,
    )
    channel.health, channel.health_message, channel.health_checked_at = health, message, now
    channel.consecutive_failures = failures
    if before != health:
        audit.record(
            "channel.health_changed",
            organisation=channel.organisation,
            obj=channel,
            changes={"health": [before, health]},
            details={"message": message},
        )
    return health


def check_all(limit: int | None = None) -> dict[str, int]:
    """Check every active channel with something to check; return how many ended in each health."""
    counts: dict[str, int] = {}
    channels = (
        Channel.objects.filter(is_active=True)
        .select_related("organisation")
        .order_by("health_checked_at", "pk")
    )
    for channel in channels[:limit] if limit else channels:
        health = check(channel)
        counts[health] = counts.get(health, 0) + 1
    return counts
