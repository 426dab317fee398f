"""The HTTP sink connector: each part is a JSON POST to ``channel.config["url"]``.

Registered in ``TESTING_REGISTRY`` only, never offered to people. Its config:

- ``url``: where to POST (a :class:`~pregonero.channels.connectors.http_sink.sink.Sink`).
- ``idempotent``: declare that the peer honours ``Idempotency-Key`` (the sink's ``dedupe``).
- ``lookup``: answer :meth:`find_published` by asking the peer (``GET url?key=...``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from pregonero.channels import outbound
from pregonero.channels.connectors.base import (
    Capabilities,
    Connector,
    Limits,
    OutgoingPart,
    PublishResult,
)

if TYPE_CHECKING:
    from pregonero.channels.models import Channel


class HttpSinkConnector(Connector):
    key = "http_sink"
    name = _("HTTP sink (tests only)")
    limits = Limits(max_length=500, max_thread=25)

    def __init__(self, channel: Channel):
        super().__init__(channel)
        # Per channel, so one test can compare a peer that honours keys with one that does not.
        self.capabilities = Capabilities(
            thread=True, idempotent_publish=bool(channel.config.get("idempotent", False))
        )
        self.url = channel.config["url"]

    def publish(self, part: OutgoingPart) -> PublishResult:
        response = outbound.request(
            "POST",
            self.url,
            json={
                "text": part.text,
                "language": part.language,
                "index": part.index,
                "total": part.total,
                "reply_to": part.reply_to,
            },
            headers={"Idempotency-Key": part.idempotency_key},
        )
        return parse_result(response.json())

    def find_published(self, idempotency_key: str) -> PublishResult | None:
        if not self.channel.config.get("lookup", False):
            return None
        try:
            response = outbound.request("GET", self.url, params={"key": idempotency_key})
        except outbound.HttpError as error:
            if error.status == 404:
                return None
            raise
        return parse_result(response.json())


def parse_result(payload: dict) -> PublishResult:
    return PublishResult(remote_id=str(payload["id"]), url=payload.get("url", ""))
