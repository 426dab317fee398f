"""Webhook endpoints and the raw events they received (issue 4, "Webhook receivers").

A network that pushes (Telegram, Meta, WhatsApp) calls ``/hooks/<network>/<public id>/``. The
public id is random, so one channel's address says nothing about another's. Every accepted call
is stored as a :class:`RawEvent` *before* it is acknowledged; parsing it into messages happens
later (:mod:`pregonero.inbound.processing`), so a crash after the acknowledgement loses nothing
and a payload nobody understands yet stays here, raw.
"""

from __future__ import annotations

import json
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.crypto import EncryptedTextField


def new_public_id() -> str:
    return secrets.token_urlsafe(18)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class HookEndpoint(models.Model):
    """Where one channel's network sends its events, and the shared secret that proves it.

    ``secret`` is what the network echoes back: Telegram's ``secret_token`` header, Meta's
    ``hub.verify_token`` in the subscription handshake. Meta's *app secret*, which signs every
    call, is one of the channel's own encrypted secrets (``app_secret``).
    """

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="hook_endpoint", verbose_name=_("channel")
    )
    public_id = models.CharField(max_length=40, unique=True, default=new_public_id, editable=False)
    secret = EncryptedTextField(default=new_secret)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.channel} ({self.channel.connector})"


class RawEvent(models.Model):
    """One call a network made to a webhook, as it came.

    A call that failed verification is kept with ``signature_ok=False`` and *without its body*
    (only the reason in ``error``), so forged calls leave a trace but never become messages.
    ``event_key`` (the network's event id, or a digest of the body) makes a replay detectable.
    ``messages`` holds what the parser made of it, as JSON, for the inbox to take.
    """

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="raw_events")
    network = models.CharField(max_length=40)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    signature_ok = models.BooleanField(default=False)
    event_key = models.CharField(max_length=128, null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    error = models.TextField(blank=True)
    messages = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("raw webhook event")
        verbose_name_plural = _("raw webhook events")
        constraints = [
            models.UniqueConstraint(fields=["channel", "event_key"], name="one_raw_event_per_event_key"),
        ]

    def __str__(self) -> str:
        return f"{self.network} event {self.pk} ({self.received_at:%Y-%m-%d %H:%M:%S})"

    def payload(self):
        return json.loads(bytes(self.body))
