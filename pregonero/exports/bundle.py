"""Writing an export's ZIP, streamed: records are read in chunks and written as they come.

Layout (docs/archive-proof.md explains how to check it):

    records.jsonl        one JSON object per record: its hashed fields, hash, text, content, tags
    records.csv          the same records for spreadsheets (UTF-8 with BOM, formulas neutralised)
    summary.pdf          an accessible PDF (PDF/UA-1): query, counts by kind and channel, records
    media/...            the files of published posts' media named in the records' content
    proof/chain.jsonl    every record of the chain from the first exported one to the last:
                         seq, hash, prev_hash, and for exported records their hashed fields
    redactions.csv       (redacted exports) record, field, kind and placeholder of each redaction
    verify.py            the standard-library script that checks all of the above
    manifest.json        SHA-256 of every other file, the parameters, the chain head, the version
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files.storage import default_storage
from django.utils import timezone

import pregonero
from pregonero.accounts.models import Organisation
from pregonero.archive.chain import HASHED_FIELDS, time_text
from pregonero.archive.models import ArchiveRecord
from pregonero.archive.services import chain_key
from pregonero.audit.export import BYTE_ORDER_MARK, safe_cell
from pregonero.audit.models import ChainHead
from pregonero.exports.redaction import Redaction, Redactor

FORMAT = "pregonero-archive-export/1"
CHUNK = 2000
# The PDF lists this many records; every record is in records.jsonl and records.csv.
PDF_RECORDS = 200
COLUMNS = (*HASHED_FIELDS, "hash", "text", "content", "tags")
CSV_COLUMNS = [
    "seq",
    "captured_at",
    "occurred_at",
    "kind",
    "network",
    "channel",
    "direction",
    "author",
    "language",
    "url",
    "text",
    "tags",
    "hash",
    "redacted",
]
VERIFY_SCRIPT = Path(__file__).with_name("verify_export.py")
COPY_BLOCK = 1 << 20


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _Hashing(io.RawIOBase):
    """A writable zip entry that also computes the SHA-256 of what goes through it."""

    def __init__(self, target: IO[bytes]):
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


@dataclass
class Summary:
    """What the manifest and the PDF say about the export (small, whatever its size)."""

    records: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    by_kind: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    listed: list[dict] = field(default_factory=list)
    media: set[str] = field(default_factory=set)
    redacted_records: list[int] = field(default_factory=list)
    redactions: Counter = field(default_factory=Counter)
    files: dict[str, str] = field(default_factory=dict)
    missing_media: list[str] = field(default_factory=list)


class _SeqSet:
    """The exported sequence numbers as a bitmap from the first one: 1 bit per chain record."""

    def __init__(self):
        self.first: int | None = None
        self.bits = bytearray()

    def add(self, seq: int) -> None:
        if self.first is None:
            self.first = seq
        offset = seq - self.first
        if offset // 8 >= len(self.bits):
            self.bits.extend(bytes(offset // 8 + 1 - len(self.bits)))
        self.bits[offset // 8] |= 1 << (offset % 8)

    def __contains__(self, seq: int) -> bool:
        if self.first is None or seq < self.first:
            return False
        offset = seq - self.first
        return offset // 8 < len(self.bits) and bool(self.bits[offset // 8] & (1 << (offset % 8)))


def _hashed(values: Mapping) -> dict:
    fields = {name: values[name] for name in HASHED_FIELDS}
    for name in ("captured_at", "occurred_at"):
        fields[name] = time_text(fields[name])
    return fields


def _media_names(content: Mapping) -> list[str]:
    names = []
    for item in content.get("media") or []:
        name = item.get("file") if isinstance(item, Mapping) else None
        path = PurePosixPath(name) if isinstance(name, str) and name else None
        if path and not path.is_absolute() and ".." not in path.parts:
            names.append(str(path))
    return names


def _csv_row(record: Mapping, redacted: bool) -> list:
    cells = [
        record["seq"],
        record["captured_at"],
        record["occurred_at"] or "",
        record["kind"],
        record["network"],
        record["channel_label"],
        record["direction"],
        record["author"],
        record["language"],
        record["url"],
        record["text"],
        " ".join(record["tags"] or []),
        record["hash"],
        "yes" if redacted else "no",
    ]
    return [safe_cell(cell) if isinstance(cell, str) else cell for cell in cells]


def write_export(
    records,
    organisation: Organisation,
    target: IO[bytes],
    *,
    parameters: Mapping | None = None,
    redact: bool = False,
    title: str = "",
    requested_by: str = "",
    language: str = "en",
    progress: Callable[[str, int, int], None] | None = None,
) -> Summary:
    """Write the ZIP of ``records`` (a queryset of the organisation's ArchiveRecord) to ``target``.

    Only records up to the chain head read at the start are exported, so the proof ends
    at a head the manifest names even while new records are being appended.
    """
    progress = progress or (lambda stage, done, total: None)
    head = ChainHead.objects.filter(key=chain_key(organisation.pk)).values("last_seq", "last_hash").first()
    head = head or {"last_seq": 0, "last_hash": ""}
    records = records.filter(organisation=organisation, seq__lte=head["last_seq"]).order_by("seq")
    total = records.count()
    summary, exported, redactor = Summary(), _SeqSet(), Redactor()
    with (
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
        tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="") as csv_file,
        tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="") as log_file,
    ):

        def add(name: str, write: Callable[[IO[bytes]], None]) -> None:
            with archive.open(name, "w", force_zip64=True) as entry:
                hashing = _Hashing(entry)
                write(hashing)
            summary.files[name] = hashing.digest.hexdigest()

        def add_text(name: str, source: IO[str], prefix: str = "") -> None:
            def write(out):
                out.write(prefix.encode("utf-8"))
                source.seek(0)
                for block in iter(lambda: source.read(COPY_BLOCK), ""):
                    out.write(block.encode("utf-8"))

            add(name, write)

        csv_writer = csv.writer(csv_file)
        csv_writer.writerow(CSV_COLUMNS)
        log_writer = csv.writer(log_file)
        log_writer.writerow(["seq", "field", "kind", "placeholder"])

        def write_records(out):
            progress("records", 0, total)
            for values in records.values(*COLUMNS).iterator(chunk_size=CHUNK):
                seq = values["seq"]
                media = _media_names(values["content"] or {})
                redacted_fields: list[str] = []
                made: list[Redaction] = []
                if redact:
                    values, redacted_fields = redactor.record(values, made.append)
                    for item in made:
                        log_writer.writerow([seq, item.field, item.kind, item.placeholder])
                        summary.redactions[item.kind] += 1
                record = {
                    **_hashed(values),
                    "hash": values["hash"],
                    "text": values["text"],
                    "content": values["content"],
                    "tags": values["tags"],
                    "redacted": bool(made),
                    "redacted_fields": redacted_fields,
                }
                out.write((_dumps(record) + "\n").encode("utf-8"))
                csv_writer.writerow(_csv_row(record, bool(made)))
                exported.add(seq)
                summary.records += 1
                summary.first_seq = summary.first_seq or seq
                summary.last_seq = seq
                summary.by_kind[values["kind"]] += 1
                summary.by_channel[values["channel_label"] or ""] += 1
                summary.media.update(media)
                if made:
                    summary.redacted_records.append(seq)
                if len(summary.listed) < PDF_RECORDS:
                    summary.listed.append(record)
                if summary.records % CHUNK == 0:
                    progress("records", summary.records, total)
            progress("records", summary.records, total)

        add("records.jsonl", write_records)

        def write_proof(out):
            progress("proof", summary.records, total)
            if summary.first_seq is None:
                return
            chain = ArchiveRecord.objects.filter(
                organisation=organisation, seq__gte=summary.first_seq, seq__lte=summary.last_seq
            ).order_by("seq")
            for values in chain.values(*HASHED_FIELDS, "hash").iterator(chunk_size=CHUNK * 5):
                entry: dict[str, Any] = {
                    "seq": values["seq"],
                    "hash": values["hash"],
                    "prev_hash": values["prev_hash"],
                }
                if values["seq"] in exported:
                    redacted_fields: list[str] = []
                    if redact:
                        values, redacted_fields = redactor.hashed(values)
                    entry["fields"] = _hashed(values)
                    entry["redacted_fields"] = redacted_fields
                out.write((_dumps(entry) + "\n").encode("utf-8"))

        add("proof/chain.jsonl", write_proof)

        progress("media", summary.records, total)
        for name in sorted(summary.media):
            try:
                source = default_storage.open(name, "rb")
            except (OSError, ValueError):
                summary.missing_media.append(name)
                continue
            with source:
                add(f"media/{name}", lambda out, s=source: _copy(s, out))

        add_text("records.csv", csv_file, BYTE_ORDER_MARK)
        if redact:
            add_text("redactions.csv", log_file, BYTE_ORDER_MARK)
        add("verify.py", lambda out: out.write(VERIFY_SCRIPT.read_bytes()))

        progress("summary", summary.records, total)
        from pregonero.exports.pdf import summary_pdf

        pdf = summary_pdf(
            organisation,
            summary,
            parameters=parameters or {},
            title=title,
            redact=redact,
            language=language,
        )
        add("summary.pdf", lambda out: out.write(pdf))

        manifest = {
            "format": FORMAT,
            "software": {"name": "pregonero", "version": pregonero.__version__},
            "organisation": {"id": organisation.pk, "name": organisation.name, "slug": organisation.slug},
            "exported_at": time_text(timezone.now()),
            "requested_by": requested_by,
            "parameters": dict(parameters or {}),
            "records": summary.records,
            "first_seq": summary.first_seq,
            "last_seq": summary.last_seq,
            "chain_head": {"seq": head["last_seq"], "hash": head["last_hash"]},
            "redacted": redact,
            "redacted_records": summary.redacted_records,
            "redactions_by_kind": dict(summary.redactions),
            "missing_media": summary.missing_media,
            "hash_algorithm": "sha256",
            "files": dict(sorted(summary.files.items())),
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
    return summary


def _copy(source: IO[bytes], out) -> None:
    for block in iter(lambda: source.read(COPY_BLOCK), b""):
        out.write(block)
