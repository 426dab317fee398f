"""Replacing third parties' personal data with numbered placeholders (RULES.md DATA-1, REC-1).

What is replaced: the author of what citizens sent us (their name or handle) and the address of
their message, national ids (DNI, NIE), phones, e-mail addresses and IBANs found by
:func:`pregonero.text.personal_data.find_personal_data`, a personal name next to an id (the
checks' DATA-2 rule), @handles, the conversation key (a phone or handle on some networks) and
the network's raw payload of a message. The same value always gets the same placeholder
within one export ("[DNI-1]" everywhere the same DNI appears). The log lists where each
placeholder was put, never the value it replaced.

Not detected: a citizen's name written in free text without an id next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pregonero.checks.rules.personal_data import _NAME, NAME_WINDOW
from pregonero.text.personal_data import find_personal_data

KINDS = {"dni": "DNI", "nie": "NIE", "phone": "PHONE", "email": "EMAIL", "iban": "IBAN"}
HANDLE = re.compile(
    r"(?<![\w@.\[])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?"
)
# Content keys whose whole value is removed: the network's payload and the list of findings.
REMOVED_KEYS = ("raw", "personal_data")
REMOVED = "[REMOVED]"


def _normal(kind: str, value: str) -> str:
    value = value.casefold().strip()
    if kind in ("DNI", "NIE", "PHONE", "IBAN"):
        value = re.sub(r"[\s.()\-]", "", value).removeprefix("+34").removeprefix("0034")
    return value


@dataclass
class Redaction:
    field: str
    kind: str
    placeholder: str


@dataclass
class Redactor:
    """One per export: numbering is shared across every record of it."""

    numbers: dict[tuple[str, str], str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def placeholder(self, kind: str, value: str) -> str:
        key = (kind, _normal(kind, value))
        if key not in self.numbers:
            self.counters[kind] = self.counters.get(kind, 0) + 1
            self.numbers[key] = f"[{kind}-{self.counters[kind]}]"
        return self.numbers[key]

    def text(self, text: str, where: str, log: Callable[[Redaction], None]) -> str:
        if not text:
            return text
        spans = [(f.start, f.end, KINDS[f.kind]) for f in find_personal_data(text) if f.kind in KINDS]
        spans += self._names_near_ids(text, spans)
        spans.sort()
        out, last = [], 0
        for start, end, kind in spans:
            if start < last:
                continue
            out.append(text[last:start])
            out.append(self._put(kind, text[start:end], where, log))
            last = end
        out.append(text[last:])
        redacted = "".join(out)
        return HANDLE.sub(lambda m: self._put("HANDLE", m.group(), where, log), redacted)

    def _names_near_ids(self, text: str, spans: list) -> list:
        names = []
        for start, end, kind in spans:
            if kind not in ("DNI", "NIE"):
                continue
            window_start = max(0, start - NAME_WINDOW)
            for match in _NAME.finditer(text, window_start, min(len(text), end + NAME_WINDOW)):
                if match.end() <= start or match.start() >= end:
                    names.append((match.start(), match.end(), "NAME"))
        return names

    def _put(self, kind: str, value: str, where: str, log: Callable[[Redaction], None]) -> str:
        placeholder = self.placeholder(kind, value)
        log(Redaction(where, kind, placeholder))
        return placeholder

    def value(self, value: Any, where: str, log: Callable[[Redaction], None]) -> Any:
        """A JSON value with every string redacted, and the removed keys' values taken out."""
        if isinstance(value, str):
            return self.text(value, where, log)
        if isinstance(value, list):
            return [self.value(item, f"{where}[{n}]", log) for n, item in enumerate(value)]
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                path = f"{where}.{key}"
                if key in REMOVED_KEYS and item not in (None, "", [], {}):
                    log(Redaction(path, "PAYLOAD", REMOVED))
                    result[key] = REMOVED
                elif key == "key" and where.endswith("conversation") and item:
                    result[key] = self._put("KEY", str(item), path, log)
                else:
                    result[key] = self.value(item, path, log)
            return result
        return value

    def hashed(self, values: dict, log: Callable[[Redaction], None] | None = None) -> tuple[dict, list[str]]:
        """A copy with the hashed fields that identify a citizen replaced (author and address of
        what they sent), and the names of the fields replaced. Without ``log`` nothing is logged
        (the chain proof repeats the placeholders the records already got)."""
        values = dict(values)
        changed = []
        if values.get("direction") == "in":
            for name, kind in (("author", "NAME"), ("url", "URL")):
                if values.get(name):
                    if log is None:
                        values[name] = self.placeholder(kind, values[name])
                    else:
                        values[name] = self._put(kind, values[name], name, log)
                    changed.append(name)
        return values, changed

    def record(self, values: dict, log: Callable[[Redaction], None]) -> tuple[dict, list[str]]:
        """A redacted copy of one record's values, and the hashed fields that were changed."""
        values, changed_hashed = self.hashed(values, log)
        values["text"] = self.text(values.get("text") or "", "text", log)
        values["content"] = self.value(values.get("content") or {}, "content", log)
        return values, changed_hashed
