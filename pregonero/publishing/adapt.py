"""Adapting one language version of a post to one channel, counted the way its network counts.

Pure: takes a text and the connector's declared :class:`Limits` and :class:`Capabilities`,
returns the parts that would go out. A text too long for one post becomes a numbered thread
where the network has threads (up to ``limits.max_thread`` posts); otherwise it is refused
with a message the person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregonero.channels.connectors.base import Capabilities, Limits
from pregonero.text.length import count, split_thread


class AdaptationError(ValidationError):
    """The text cannot go out on this channel as it is; ``message`` says why, translated."""


@dataclass(frozen=True)
class PreviewPart:
    text: str
    length: int
    # None when the network sets no limit.
    remaining: int | None


@dataclass(frozen=True)
class Preview:
    parts: tuple[PreviewPart, ...]
    error: str = ""


def max_posts(limits: Limits, capabilities: Capabilities) -> int:
    return max(limits.max_thread, 1) if capabilities.thread else 1


def adapt(text: str, limits: Limits, capabilities: Capabilities) -> list[str]:
    """The parts of ``text`` for a channel with these limits; raises :class:`AdaptationError`.

    An empty text gives no parts. A text that fits gives one unnumbered part.
    """
    text = text.strip()
    if not text:
        return []
    if limits.max_length is None:
        return [text]
    length = count(text, limits.length_method, url_length=limits.url_length)
    if length <= limits.max_length:
        return [text]
    allowed = max_posts(limits, capabilities)
    if allowed == 1:
        raise AdaptationError(
            ngettext(
                "The text counts %(length)d characters and this network allows %(limit)d in one post; "
                "it has no threads, so shorten it by %(over)d character.",
                "The text counts %(length)d characters and this network allows %(limit)d in one post; "
                "it has no threads, so shorten it by %(over)d characters.",
                length - limits.max_length,
            )
            % {"length": length, "limit": limits.max_length, "over": length - limits.max_length}
        )
    try:
        parts = split_thread(text, limits.max_length, limits.length_method, url_length=limits.url_length)
    except ValueError as error:
        raise AdaptationError(
            _("The text cannot be split into posts of %(limit)d characters: a word or link is too long.")
            % {"limit": limits.max_length}
        ) from error
    if len(parts) > allowed:
        raise AdaptationError(
            _(
                "The text needs a thread of %(needed)d posts and this network allows at most %(allowed)d; "
                "shorten it."
            )
            % {"needed": len(parts), "allowed": allowed}
        )
    return parts


def measure(parts: list[str], limits: Limits) -> tuple[PreviewPart, ...]:
    """Each part with its length as the network counts it and what remains of the limit."""
    result = []
    for part in parts:
        length = count(part, limits.length_method, url_length=limits.url_length)
        remaining = None if limits.max_length is None else limits.max_length - length
        result.append(PreviewPart(part, length, remaining))
    return tuple(result)


def preview(text: str, limits: Limits, capabilities: Capabilities) -> Preview:
    """What would go out, for the composer: the parts, or the reason it cannot go out."""
    try:
        return Preview(measure(adapt(text, limits, capabilities), limits))
    except AdaptationError as error:
        return Preview((), error.message)
