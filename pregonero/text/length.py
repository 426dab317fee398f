"""Text length as each network counts it, and splitting a long text into a thread.

``count(text, method, *, url_length=None)`` methods:

- ``characters``: Unicode code points (``len``).
- ``graphemes``: extended grapheme clusters (Bluesky's 300 limit counts these).
- ``utf16``: UTF-16 code units (what JavaScript's ``length`` reports).
- ``weighted``: X's twitter-text v3 counting on NFC text: code points in U+0000–U+10FF,
  U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every other code point 2, an emoji
  grapheme (however many code points) 2, and a URL 23.

With ``url_length`` every ``http://``/``https://`` URL counts as that many, whatever the method
(Mastodon counts any URL as 23). Only URLs with a scheme are recognised; X also shortens bare
domains such as "vilanova.es", which this module counts as text.

``split_thread`` breaks a text into posts that each fit a limit (see its docstring).
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import regex

from pregonero.text._unicode import graphemes, is_emoji, is_one_per_code_point

__all__ = ["METHODS", "Method", "count", "split_thread"]

Method = Literal["characters", "graphemes", "utf16", "weighted"]
METHODS: tuple[Method, ...] = ("characters", "graphemes", "utf16", "weighted")

TWITTER_URL_LENGTH = 23
# Outside twitter-text config/v3.json "ranges" of weight 100 (1 after dividing by "scale").
_HEAVY = regex.compile(r"[^\u0000-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]")
# Trailing punctuation belongs to the sentence, not to the link.
_URL = regex.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)\]}»'\"]*(?:\s|$))", regex.IGNORECASE)
_SENTENCE_END = regex.compile(r"[.!?…][\"'»”’)\]]*$")
_PARAGRAPH, _SENTENCE, _WORD = 3, 2, 1


def count(text: str, method: Method, *, url_length: int | None = None) -> int:
    """Length of ``text`` under ``method``; URLs count ``url_length`` when it is given."""
    if method not in METHODS:
        raise ValueError(f"Unknown counting method {method!r}; expected one of {', '.join(METHODS)}.")
    if url_length is None and method == "weighted":
        url_length = TWITTER_URL_LENGTH
    if url_length is None:
        return _count_plain(text, method)
    total, position = 0, 0
    for match in _URL.finditer(text):
        total += _count_plain(text[position : match.start()], method) + url_length
        position = match.end()
    return total + _count_plain(text[position:], method)


def _count_plain(text: str, method: Method) -> int:
    if method == "characters":
        return len(text)
    if method == "utf16":
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    if method == "graphemes":
        return len(text) if is_one_per_code_point(text) else len(graphemes(text))
    text = unicodedata.normalize("NFC", text)
    if is_one_per_code_point(text):
        # Single-code-point emoji all lie outside the light ranges, so they weigh 2 here too.
        return len(text) + len(_HEAVY.findall(text))
    return sum(2 if is_emoji(g) else len(g) + len(_HEAVY.findall(g)) for g in graphemes(text))


def split_thread(
    text: str,
    limit: int,
    method: Method,
    *,
    url_length: int | None = None,
    numbered: bool = True,
) -> list[str]:
    """Split ``text`` into posts of at most ``limit`` each, counted by ``method``.

    A text that already fits comes back as one unnumbered post. Otherwise posts break only
    between words (whitespace-separated runs of graphemes, so URLs, hashtags and graphemes stay
    whole), preferring the last paragraph break, then the last sentence or line break, that
    keeps the post at least half full, else the last word that fits. Whitespace inside a post
    is kept as written; whitespace at a break is dropped. With ``numbered`` each post ends in
    " (k/n)", counted within the limit.

    Raises ValueError when one word (or the numbering) cannot fit in ``limit``.
    """
    text = text.strip()
    if count(text, method, url_length=url_length) <= limit:
        return [text] if text else []
    words, separators = _tokenise(text)
    if not numbered:
        return _pack(words, separators, limit, method, url_length, reserve=0)
    # The numbering's width depends on the number of posts: reserve room for one more digit
    # until the packing needs fewer posts than that width can number.
    digits = 1
    while True:
        reserve = len(f" ({'9' * digits}/{'9' * digits})")
        if reserve >= limit:
            raise ValueError(f"The limit {limit} leaves no room for the thread numbering.")
        posts = _pack(words, separators, limit, method, url_length, reserve)
        if len(posts) < 10**digits:
            return [f"{post} ({k}/{len(posts)})" for k, post in enumerate(posts, start=1)]
        digits += 1


def _tokenise(text: str) -> tuple[list[str], list[str]]:
    # separators[k] is the whitespace before words[k]; separators[0] is empty.
    words: list[str] = []
    separators: list[str] = []
    pending_space = ""
    for g in graphemes(text):
        if g.isspace():
            pending_space += g
        elif pending_space or not words:
            separators.append(pending_space)
            words.append(g)
            pending_space = ""
        else:
            words[-1] += g
    return words, separators


def _break_rank(separator: str, previous_word: str) -> int:
    if separator.count("\n") >= 2:
        return _PARAGRAPH
    if "\n" in separator or _SENTENCE_END.search(previous_word):
        return _SENTENCE
    return _WORD


def _pack(
    words: list[str],
    separators: list[str],
    limit: int,
    method: Method,
    url_length: int | None,
    reserve: int,
) -> list[str]:
    budget = limit - reserve

    def render(i: int, j: int) -> str:
        return words[i] + "".join(separators[k] + words[k] for k in range(i + 1, j))

    def size(i: int, j: int) -> int:
        return count(render(i, j), method, url_length=url_length)

    def best_break(i: int, j: int) -> int:
        # A break at k ends the post before words[k]; k == j is after the last word that fits.
        # Prefer a paragraph, then a sentence or line break, that leaves the post half full.
        for rank in (_PARAGRAPH, _SENTENCE):
            for k in range(j, i, -1):
                if _break_rank(separators[k], words[k - 1]) >= rank and size(i, k) * 2 >= budget:
                    return k
        return j

    posts: list[str] = []
    i = 0
    while i < len(words):
        if size(i, i + 1) > budget:
            raise ValueError(
                f"Cannot split the text: {words[i][:40]!r} counts {size(i, i + 1)} on its own, "
                f"more than the {budget} available in each post."
            )
        j = i + 1
        while j < len(words) and size(i, j + 1) <= budget:
            j += 1
        end = best_break(i, j) if j < len(words) else j
        posts.append(render(i, end))
        i = end
    return posts
