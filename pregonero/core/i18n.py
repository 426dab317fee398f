"""Messages stored in English and read in each person's language.

Workers write messages (a publication's error, a channel's health) without knowing who will
read them, so they store the English source string and the values it interpolates; the page
translates it for whoever looks. A stored text may carry technical detail after its first line
(an HTTP status, a server's answer): that part is shown as is, never translated.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext


def stored_message(message: str, params: Mapping[str, object] | None = None) -> str:
    """``message`` (an English source, maybe followed by detail lines) in the active language."""
    if not message:
        return ""
    first, newline, detail = message.partition("\n")
    return f"{_fill(gettext(first), first, params)}{newline}{detail}"


def _fill(translated: str, source: str, params: Mapping[str, object] | None) -> str:
    if not params:
        return translated
    # A translation that lost a placeholder must not hide the problem it describes.
    for candidate in (translated, source):
        try:
            return candidate % dict(params)
        except (KeyError, TypeError, ValueError):
            continue
    return source
