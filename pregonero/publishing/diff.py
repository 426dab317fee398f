"""Word-level differences between two versions of a text, for the post history. Pure."""

from __future__ import annotations

import difflib
import re
from typing import Literal

Op = Literal["same", "removed", "added"]
_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """Runs of unchanged, removed and added text that turn ``old`` into ``new``.

    Whitespace is kept as its own token so joining the "same" and "added" runs gives ``new``
    back exactly.
    """
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    result: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            result.append(("removed", "".join(before[i1:i2])))
        if j2 > j1:
            result.append(("added", "".join(after[j1:j2])))
    return result
