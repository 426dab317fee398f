"""Grapheme and emoji helpers shared by the length and hashtag modules.

A grapheme is an extended grapheme cluster (Unicode UAX #29, ``regex``'s ``\\X``). A grapheme
is an emoji when it would be drawn as a picture: it holds an emoji-presentation code point,
an emoji variation selector (U+FE0F), a keycap mark, a regional-indicator flag, or a
pictographic code point from the emoji planes. A bare text-style symbol such as "©" or "❤"
without U+FE0F is not an emoji here, because most systems draw it as a glyph.
"""

from __future__ import annotations

import regex

_GRAPHEME = regex.compile(r"\X")
# Code points that can join the one before them into a cluster (UAX #29), plus CR LF. A text
# without any is one grapheme per code point, which is far cheaper to count than with \X.
_JOINING = regex.compile(
    r"\r\n|[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]"
)
_EMOJI = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Regional_Indicator}|[\U0001F000-\U0001FAFF]")


def graphemes(text: str) -> list[str]:
    """Split ``text`` into extended grapheme clusters; joining them gives ``text`` back."""
    return _GRAPHEME.findall(text)


def is_one_per_code_point(text: str) -> bool:
    """Whether every code point of ``text`` is a grapheme of its own."""
    return _JOINING.search(text) is None


def is_emoji(grapheme: str) -> bool:
    """Whether one grapheme cluster is drawn as an emoji (see the module docstring)."""
    return _EMOJI.search(grapheme) is not None
