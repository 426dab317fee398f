#!/usr/bin/env python3
"""Verify a Pregonero archive export with nothing but Python's standard library.

Usage: python3 verify.py export.zip   (exit 0 when intact, 1 with the reasons when not)

1. Every file listed in manifest.json has the SHA-256 written there; nothing is missing or added.
2. proof/chain.jsonl: consecutive sequence numbers, each record's prev_hash is the hash of the
   one before it, and each exported record's hash is SHA-256 of its canonical fields.
3. records.jsonl: each record's fields and hash are the ones in the proof, and for records that
   were not redacted, SHA-256 of {"text", "content"} is the content_digest the hash covers.
See docs/archive-proof.md in Pregonero for the whole procedure.
"""

import hashlib
import json
import sys
import zipfile

HASHED = (
    "organisation_id",
    "seq",
    "captured_at",
    "kind",
    "source_type",
    "source_id",
    "channel_ref",
    "channel_label",
    "network",
    "direction",
    "remote_id",
    "url",
    "occurred_at",
    "author",
    "language",
    "conversation_ref",
    "post_ref",
    "department_ref",
    "content_digest",
    "prev_hash",
)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def canonical(document):
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def lines(archive, name):
    with archive.open(name) as handle:
        for line in handle:
            yield json.loads(line)


def verify(path):
    problems = []
    with zipfile.ZipFile(path) as archive:
        missing = {"manifest.json", "records.jsonl", "proof/chain.jsonl"} - set(archive.namelist())
        if missing:
            return [f"{name}: missing from the ZIP" for name in sorted(missing)]
        manifest = json.loads(archive.read("manifest.json"))
        listed = set(manifest["files"]) | {"manifest.json"}
        for name in sorted(set(archive.namelist()) - listed):
            problems.append(f"{name}: not listed in the manifest")
        for name, expected in sorted(manifest["files"].items()):
            digest = hashlib.sha256()
            try:
                with archive.open(name) as handle:
                    for block in iter(lambda h=handle: h.read(1 << 20), b""):
                        digest.update(block)
            except KeyError:
                problems.append(f"{name}: listed in the manifest but missing")
                continue
            if digest.hexdigest() != expected:
                problems.append(f"{name}: SHA-256 differs from the manifest (the file was changed)")
        proof, previous = {}, None
        for entry in lines(archive, "proof/chain.jsonl"):
            seq = entry["seq"]
            if previous and seq != previous["seq"] + 1:
                problems.append(f"proof: sequence {seq} follows {previous['seq']} (a record is missing)")
            elif previous and entry["prev_hash"] != previous["hash"]:
                problems.append(f"proof: record {seq} does not link to record {previous['seq']}")
            fields = entry.get("fields")
            if fields is not None:
                if [fields[k] for k in ("seq", "prev_hash")] != [seq, entry["prev_hash"]]:
                    problems.append(f"proof: record {seq} fields disagree with its chain entry")
                elif not entry.get("redacted_fields") and sha(canonical(fields)) != entry["hash"]:
                    problems.append(f"proof: record {seq} does not match its hash (it was altered)")
                proof[seq] = entry
            previous = entry
        head = manifest.get("chain_head") or {}
        if previous and previous["seq"] == head.get("seq") and previous["hash"] != head.get("hash"):
            problems.append("proof: the last record is not the chain head named in the manifest")
        for record in lines(archive, "records.jsonl"):
            seq, entry = record["seq"], proof.get(record["seq"])
            if entry is None:
                problems.append(f"records: record {seq} has no entry in the proof")
                continue
            if {k: record[k] for k in HASHED} != entry["fields"] or record["hash"] != entry["hash"]:
                problems.append(f"records: record {seq} differs from its proof (it was altered)")
            if (
                not record["redacted"]
                and sha(canonical({"text": record["text"], "content": record["content"]}))
                != record["content_digest"]
            ):
                problems.append(f"records: record {seq} text or content was altered (digest differs)")
    return problems


if __name__ == "__main__":
    found = verify(sys.argv[1])
    for problem in found:
        print("FAIL", problem)
    print("FAILED" if found else "OK: manifest, chain proof and records verify")
    sys.exit(1 if found else 0)
