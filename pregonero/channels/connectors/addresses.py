"""Server addresses as people type them, made into the base URL connectors call."""

from __future__ import annotations

from urllib.parse import urlsplit


def server_url(text: str) -> str:
    """``scheme://host[:port]`` from a host, an address or ``@user@host``; ValueError if none.

    HTTPS is assumed when no scheme is typed; any path is dropped.
    """
    text = text.strip()
    if text.startswith("@") and text.count("@") == 2:
        text = text.rsplit("@", 1)[1]
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname or any(c.isspace() for c in text):
        raise ValueError(text)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"
