"""The table of connectors. Adding a network: copy a package, add one line here."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from pregonero.channels.connectors.base import Connector

REGISTRY: dict[str, str] = {
    "website": "pregonero.channels.connectors.website.connector.WebsiteConnector",
    "email": "pregonero.channels.connectors.email.connector.EmailConnector",
    "mastodon": "pregonero.channels.connectors.mastodon.connector.MastodonConnector",
    "matrix": "pregonero.channels.connectors.matrix.connector.MatrixConnector",
    "bluesky": "pregonero.channels.connectors.bluesky.connector.BlueskyConnector",
    "telegram": "pregonero.channels.connectors.telegram.connector.TelegramConnector",
    "x": "pregonero.channels.connectors.x.connector.XConnector",
    "facebook": "pregonero.channels.connectors.meta.connector.FacebookConnector",
    "instagram": "pregonero.channels.connectors.meta.connector.InstagramConnector",
    "whatsapp": "pregonero.channels.connectors.whatsapp.connector.WhatsAppConnector",
    "linkedin": "pregonero.channels.connectors.linkedin.connector.LinkedInConnector",
    "mailbox": "pregonero.channels.connectors.mailbox.connector.MailboxConnector",
}
# Only for the test suite and benchmarks; never offered in the interface or the demo.
TESTING_REGISTRY: dict[str, str] = {
    "http_sink": "pregonero.channels.connectors.http_sink.connector.HttpSinkConnector",
}


@cache
def connector_class(key: str) -> type[Connector]:
    path = REGISTRY.get(key) or TESTING_REGISTRY.get(key)
    if path is None:
        raise LookupError(f"No connector called {key!r}.")
    return import_string(path)


def choices() -> list[tuple[str, str]]:
    return [(key, str(connector_class(key).name)) for key in REGISTRY]
