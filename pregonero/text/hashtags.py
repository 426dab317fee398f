"""Hashtags, mentions and emoji in a post (RULES.md A11Y-4).

Contract:

- ``find_hashtags(text)`` / ``find_mentions(text)`` return ``Tag`` values with ``str`` offsets
  (``text[start:end] == tag.text``, sigil included; ``name`` without it). A hashtag needs at
  least one letter ("#1" is not one); a mention is ``@name``, ``@name.domain`` (Bluesky) or
  ``@name@server.tld`` (Mastodon), and never the middle of an e-mail address.
- ``is_camel_case(tag)`` is False for a hashtag a screen reader would read as one long word:
  more than ``CAMEL_CASE_MIN_LETTERS`` letters, all lower or all upper case ("#festesmajors2025",
  "#FESTESMAJORS"). Shorter tags are probably one word ("#Vilanova", "#obras") and pass; a
  longer tag with mixed case ("#FestesMajors", "#Vilanovadelmar") passes too, because case
  alone cannot tell where the words split.
- ``hashtags_not_at_end(text)`` returns hashtags followed by ordinary words: the end of a post
  may hold hashtags, mentions, URLs, emoji and punctuation only.
- ``emoji_count(text)`` counts emoji graphemes (a family or a flag is one);
  ``is_emoji_only(text)`` is True when there is at least one emoji and no letter or digit.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pregonero.text._unicode import graphemes, is_emoji

__all__ = [
    "CAMEL_CASE_MIN_LETTERS",
    "Tag",
    "emoji_count",
    "find_hashtags",
    "find_mentions",
    "hashtags_not_at_end",
    "is_camel_case",
    "is_emoji_only",
]

CAMEL_CASE_MIN_LETTERS = 13

_HASHTAG = regex.compile(r"(?<![\w#&/])#(?P<name>\w*\p{L}\w*)")
_MENTION = regex.compile(r"(?<![\w@./+-])@(?P<name>\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)*\.\w+)?)")
_URL = regex.compile(r"https?://\S+", regex.IGNORECASE)
# A word that may close a post without hiding a hashtag: nothing that is a letter or digit.
_NO_WORD = regex.compile(r"^[^\p{L}\p{N}]*$")


@dataclass(frozen=True, slots=True)
class Tag:
    start: int
    end: int
    text: str
    name: str


def find_hashtags(text: str) -> list[Tag]:
    """Every hashtag in ``text``, in order."""
    return [Tag(m.start(), m.end(), m.group(), m.group("name")) for m in _HASHTAG.finditer(text)]


def find_mentions(text: str) -> list[Tag]:
    """Every ``@`` mention in ``text``, in order."""
    return [Tag(m.start(), m.end(), m.group(), m.group("name")) for m in _MENTION.finditer(text)]


def is_camel_case(tag: str) -> bool:
    """False when ``tag`` (with or without "#") is long and single-case; see the module docstring."""
    letters = [ch for ch in tag if ch.isalpha()]
    if len(letters) < CAMEL_CASE_MIN_LETTERS:
        return True
    return any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters)


def hashtags_not_at_end(text: str) -> list[Tag]:
    """Hashtags that have an ordinary word after them."""
    tail_start = len(text)
    for token in reversed(list(regex.finditer(r"\S+", text))):
        if not _may_close_post(token.group()):
            break
        tail_start = token.start()
    return [tag for tag in find_hashtags(text) if tag.start < tail_start]


def emoji_count(text: str) -> int:
    """Number of emoji graphemes in ``text``."""
    return sum(1 for g in graphemes(text) if is_emoji(g))


def is_emoji_only(text: str) -> bool:
    """True when ``text`` has emoji and no letters or digits outside them."""
    found_emoji = False
    for g in graphemes(text):
        if is_emoji(g):
            found_emoji = True
        elif not _NO_WORD.match(g):
            return False
    return found_emoji


def _may_close_post(token: str) -> bool:
    if _HASHTAG.fullmatch(token.rstrip(".,;:!?")) or _MENTION.fullmatch(token.rstrip(".,;:!?")):
        return True
    if _URL.match(token):
        return True
    return all(is_emoji(g) or _NO_WORD.match(g) for g in graphemes(token))
