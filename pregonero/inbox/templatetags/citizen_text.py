"""Citizens' text shown safely: escaped, with web addresses as links nobody follows by accident.

A link keeps its full address as its text and shows its host apart, so a person sees where it
goes before choosing to open it; ``rel`` tells search engines and the opened page nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import regex
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# http(s) addresses up to the first space or angle bracket; closing punctuation stays outside.
_URL = regex.compile(r"""https?://[^\s<>"']+""", regex.IGNORECASE)
_TRAILING = ".,;:!?)]}»"


@register.filter
def citizen_links(text: str) -> SafeString:
    """``text`` escaped, each http(s) address made an ``a`` with rel="nofollow noopener ugc"."""
    text = str(text or "")
    pieces, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        host = urlsplit(url).hostname
        if not host:
            continue
        pieces.append(escape(text[last : match.start()]))
        pieces.append(
            f'<a href="{escape(url)}" rel="nofollow noopener noreferrer ugc">{escape(url)}</a>'
            f' <span class="link-host">({escape(host)})</span>'
        )
        last = match.start() + len(url)
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above.


@register.filter
def attached_images(message) -> list[tuple[int, dict]]:
    """(index, media) of a message's images, for links to the image proxy."""
    from pregonero.inbox.media import images_of

    return images_of(message)
