"""Archive export throughput (records per second) and peak memory, for 100,000 records.

Run: ``.venv/bin/python bench/archive_export.py [--records 100000] [--databases sqlite,postgres]``.

For each database (SQLite in a temporary file; PostgreSQL when it answers, in a database
``pregonero_bench_archive_export`` created and dropped here) it migrates a fresh database, builds
N records in one valid chain with bench/archive.py's fast builder, then writes the export ZIP of
all of them (pregonero.exports.bundle.write_export: records.jsonl, records.csv, chain proof,
PDF summary, manifest) to a temporary file, twice: unredacted and redacted. Prints records per
second, the ZIP's size, the peak of Python allocations during the export (tracemalloc, measured
in a separate run because tracing slows it) and the process's peak resident memory
(getrusage). Nothing is asserted; figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import POSTGRES_URL, psql  # noqa: E402  (bench/archive.py)

BENCH_DB = "pregonero_bench_archive_export"


def _export(organisation, redact: bool) -> tuple[float, int]:
    from pregonero.archive.services import visible_records
    from pregonero.exports.bundle import write_export

    with tempfile.TemporaryFile() as target:
        began = time.perf_counter()
        write_export(visible_records(organisation), organisation, target, redact=redact)
        seconds = time.perf_counter() - began
        return seconds, target.tell()


def child(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from archive import build  # bench/archive.py

    from pregonero.accounts.services import create_organisation

    organisation = create_organisation(actor=None, name="Ajuntament de Bench", slug="bench")
    built = build(organisation.pk, count)
    print(f"  built {count} records in {built:.0f} s", flush=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for redact in (False, True):
        seconds, size = _export(organisation, redact)
        label = "redacted" if redact else "plain"
        print(
            f"  export {label:8}: {seconds:6.1f} s, {count / seconds:7.0f} records/s, "
            f"ZIP {size / 1e6:.1f} MB",
            flush=True,
        )
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    _export(organisation, False)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  peak Python allocations during an export: {peak / 1e6:.1f} MB (tracemalloc); "
        f"process peak RSS {rss_before / 1024:.0f} MB before the exports, {rss_after / 1024:.0f} MB after",
        flush=True,
    )


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.records)
        return
    print(f"Archive export benchmark: {args.records} records")
    with tempfile.TemporaryDirectory(prefix="pregonero-bench-export-") as tmp:
        for database in args.databases.split(","):
            dropping = False
            if database == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'export.sqlite3'}"
            else:
                if not psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"') or not psql(
                    f'CREATE DATABASE "{BENCH_DB}"'
                ):
                    print(f"{database}: PostgreSQL does not answer at {POSTGRES_URL}: skipped")
                    continue
                url, dropping = POSTGRES_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}", True
            print(f"{database}", flush=True)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "PREGONERO_DATA_DIR": tmp,
                "DJANGO_SETTINGS_MODULE": "pregonero.settings",
            }
            try:
                subprocess.run(  # noqa: S603
                    [sys.executable, __file__, "--child", "--records", str(args.records)], env=env, check=True
                )
            finally:
                if dropping:
                    psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    run(sys.argv[1:])
