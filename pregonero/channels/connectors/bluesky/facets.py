"""Rich-text facets of a Bluesky post: links, mentions and hashtags on UTF-8 byte offsets.

Pure functions. Bluesky does not find links in the text itself: a post carries ``facets``
saying which byte range is a link (``app.bsky.richtext.facet#link``), a mention (``#mention``,
by DID) or a tag (``#tag``). Offsets count **bytes of the UTF-8 text**, not characters, so an
accent or an emoji before a link moves it. The patterns follow Bluesky's documentation
("Links, mentions, and rich text").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import regex

# A handle is a domain name: labels of letters, digits and hyphens, a letter-led last label.
_MENTION = regex.compile(
    r"(?:^|[\s(])(@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?))"
)
_LINK = regex.compile(
    r"(?:^|[\s(])(https?://[\S]+)",
    regex.IGNORECASE,
)
# Trailing punctuation ends the sentence, not the link ("see https://x.es/a."), and a closing
# bracket is kept only when the link opened one.
_LINK_TRAILING = ".,;:!?\"'»”’"
# Characters that never belong to a tag: white space and the invisible joiners and breaks.
_NOT_TAG = r"\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2"
# A tag is "#" and anything up to a space that is not only digits and punctuation.
_TAG = regex.compile(rf"(?:^|\s)([#＃]((?!\ufe0f)[^{_NOT_TAG}]*[^\d\p{{P}}{_NOT_TAG}]+[^{_NOT_TAG}]*))")
_TAG_TRAILING = regex.compile(r"\p{P}+$")
MAX_TAG_GRAPHEMES = 64


@dataclass(frozen=True)
class Span:
    """A piece of the text that becomes a facet; ``start``/``end`` are UTF-8 byte offsets."""

    kind: str  # "link", "mention" or "tag"
    start: int
    end: int
    value: str  # the URL, the handle (without @), or the tag (without #)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _trim_link(url: str) -> str:
    while url and url[-1] in _LINK_TRAILING:
        url = url[:-1]
    if url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def find_spans(text: str) -> list[Span]:
    """Links, mentions and hashtags of ``text``, in order, never overlapping."""
    found: list[tuple[int, int, str, str]] = []
    for match in _LINK.finditer(text):
        url = _trim_link(match.group(1))
        if "." in url.split("://", 1)[1]:
            found.append((match.start(1), match.start(1) + len(url), "link", url))
    for match in _MENTION.finditer(text):
        found.append((match.start(1), match.end(1), "mention", match.group(2).lower()))
    for match in _TAG.finditer(text):
        tag = _TAG_TRAILING.sub("", match.group(2))
        if tag and len(regex.findall(r"\X", tag)) <= MAX_TAG_GRAPHEMES:
            found.append((match.start(1), match.start(1) + 1 + len(tag), "tag", tag))
    spans: list[Span] = []
    taken_until = -1
    # Earlier first; at the same place the longer wins (a link containing "#" or "@").
    for start, end, kind, value in sorted(found, key=lambda item: (item[0], -item[1])):
        if start < taken_until:
            continue
        spans.append(Span(kind, _byte_offset(text, start), _byte_offset(text, end), value))
        taken_until = end
    return spans


def build_facets(spans: list[Span], dids: Mapping[str, str]) -> list[dict]:
    """The ``facets`` of a post record. A mention whose handle has no DID in ``dids`` (it
    does not exist) stays plain text, as the Bluesky app does."""
    facets = []
    for span in spans:
        if span.kind == "link":
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": span.value}
        elif span.kind == "tag":
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": span.value}
        elif span.value in dids:
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": dids[span.value]}
        else:
            continue
        facets.append({"index": {"byteStart": span.start, "byteEnd": span.end}, "features": [feature]})
    return facets
