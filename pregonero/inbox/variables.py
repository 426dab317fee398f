"""Variables in saved replies and notices: ``{citizen_name}`` and friends, filled safely.

Only ``{name}`` made of letters, digits and underscores is a variable; it is replaced by plain
text (never formatted, so ``{a.b}`` or ``{0}`` stay as written and nothing is evaluated). A
name that is not known is reported, not guessed. Pure: plain values in, plain values out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# The variables a saved reply may use; the reply editor fills them from the conversation.
REPLY_VARIABLES = ("citizen_name", "citizen_handle", "organisation", "agent_name", "today")

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class UnknownVariables(ValueError):
    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def variables_in(text: str) -> list[str]:
    """The variable names used in ``text``, in order of first use."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(text)))


def unknown_in(text: str, known: Iterable[str] = REPLY_VARIABLES) -> list[str]:
    known = set(known)
    return [name for name in variables_in(text) if name not in known]


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every ``{name}`` replaced by ``values[name]``; raises
    :class:`UnknownVariables` naming every variable ``values`` lacks."""
    missing = unknown_in(text, values)
    if missing:
        raise UnknownVariables(missing)
    return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


def braced(names: Iterable[str]) -> str:
    """``{a}, {b}``: variable names as people write them."""
    return ", ".join("{" + name + "}" for name in names)
