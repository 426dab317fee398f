"""The audit log in CSV form."""

from __future__ import annotations

import csv
import json
import zoneinfo
from collections.abc import Iterable, Iterator

from pregonero.audit.models import AuditEntry

# Stable, untranslated column names: scripts and spreadsheets that read the export must
# not break because the person who exported it uses another interface language.
CSV_COLUMNS = [
    "time",
    "chain",
    "seq",
    "person",
    "action",
    "object_type",
    "object_id",
    "object",
    "outcome",
    "changes",
    "details",
    "hash",
    "prev_hash",
]
# Spreadsheet programs run a cell that starts with one of these as a formula, and citizen
# text (names, comments) ends up in object descriptions (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def safe_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would evaluate, by prefixing an apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_row(entry: AuditEntry, time_zone: zoneinfo.ZoneInfo) -> list[str | int]:
    cells = [
        entry.at.astimezone(time_zone).isoformat(),
        entry.chain,
        entry.seq,
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.outcome,
        _json(entry.changes),
        _json(entry.details),
        entry.hash,
        entry.prev_hash,
    ]
    return [safe_cell(cell) if isinstance(cell, str) else cell for cell in cells]


class _Echo:
    """A file-like object whose ``write`` returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(entries: Iterable[AuditEntry], time_zone: str) -> Iterator[str]:
    """The export, line by line: a BOM so spreadsheet programs read UTF-8, a header, the rows."""
    zone = zoneinfo.ZoneInfo(time_zone)
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow(CSV_COLUMNS)
    for entry in entries:
        yield writer.writerow(csv_row(entry, zone))
