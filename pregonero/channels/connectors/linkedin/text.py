"""LinkedIn's "little text" format for post commentary: pure functions.

In ``commentary`` the characters ``| { } @ [ ] ( ) < > # \\ * _ ~`` are markup (mentions,
hashtags, templates); a text sent as written loses them or is refused. Escaping each with a
backslash makes LinkedIn show exactly what was typed.
"""

from __future__ import annotations

import re

RESERVED = re.compile(r"([|{}@\[\]()<>#\\*_~])")


def escape_little_text(text: str) -> str:
    return RESERVED.sub(r"\\\1", text)


def unescape_little_text(text: str) -> str:
    return re.sub(r"\\([|{}@\[\]()<>#\\*_~])", r"\1", text)
