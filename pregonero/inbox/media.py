"""Images citizens attach, fetched by our server only when a person asks to see one.

The browser never contacts the network's host (no hotlinking: the citizen's network learns
nothing about who reads, and the content security policy stays ``img-src 'self'``). The fetch
goes through the outbound wrapper, which refuses private addresses and does not follow
redirects; only common raster image types up to :data:`MAX_BYTES` are passed on, and what was
fetched is cached for a day.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from pregonero.channels import outbound
from pregonero.channels.connectors.base import ConnectorError
from pregonero.inbox.models import Message

MAX_BYTES = 5 * 1024 * 1024
TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Image:
    content: bytes
    content_type: str


class MediaRefused(Exception):
    """The image cannot be shown; the message says why, for the person."""


def images_of(message: Message) -> list[tuple[int, dict]]:
    """(index, media) of the message's images, as the connector normalised them."""
    media = message.raw.get("media") if isinstance(message.raw, dict) else None
    return [
        (index, item)
        for index, item in enumerate(media or [])
        if isinstance(item, dict)
        and item.get("kind") == "image"
        and str(item.get("url", "")).startswith(("https://", "http://"))
    ]


def fetch(message: Message, index: int) -> Image:
    """The ``index``-th attachment of ``message`` if it is an image we may show."""
    found = dict(images_of(message)).get(index)
    if found is None:
        raise MediaRefused(_("This message has no such image."))
    key = f"inbox-media:{message.pk}:{index}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        response = outbound.request("GET", found["url"], headers={"Accept": ", ".join(sorted(TYPES))})
    except ConnectorError as error:
        raise MediaRefused(_("The network did not give the image.")) from error
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if response.is_redirect or content_type not in TYPES:
        raise MediaRefused(_("This is not an image Pregonero shows."))
    declared = response.headers.get("Content-Length", "")
    if (declared.isdigit() and int(declared) > MAX_BYTES) or len(response.content) > MAX_BYTES:
        raise MediaRefused(_("The image is too large to show here."))
    image = Image(content=response.content, content_type=content_type)
    cache.set(key, image, CACHE_SECONDS)
    return image
