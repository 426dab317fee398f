"""Archive search latency: the search service against the bare full-text query, same database, same run.

Run: ``.venv/bin/python bench/archive.py [--records 1000000] [--databases sqlite,postgres]
[--repeat 30]`` (or ``--database URL`` for one given database, which it migrates and fills).

For each database (SQLite in a temporary file; PostgreSQL when it answers, in a database
``pregonero_bench_archive`` created and dropped here) it migrates a fresh database and builds
N archive records of one organisation FAST: rows are made in Python with their search text
(pregonero.archive.search_text.searchable), content digest and hash computed exactly as
services.append() does, in ONE valid chain (seq 1..N, each prev_hash the previous hash, the
chain head set at the end), and written with bulk_create in batches - not through append()
one by one, which would take hours at a million. The full-text index is kept by the same
trigger (SQLite) or generated column (PostgreSQL) as in production. Texts are varied Spanish
and Valencian citizen messages and posts; one in 5,000 is the Valencian comment about the car
park that the issue's done-when asks to find with a Spanish query.

Then, ``--repeat`` times each, it times:

- ``search``: pregonero.archive.search.search() as the search page uses it: the count, the
  first page of 25 records and their highlighted snippets;
- ``bare``: the database's own full-text query for the same words - SQLite
  ``SELECT count(*)`` and the 25 highest rowids ``FROM archive_search WHERE archive_search
  MATCH ...``; PostgreSQL the same over ``search_vector @@ to_tsquery('simple', ...)`` - with
  the same index expression but no organisation scope, blocked-record exclusion, filters or
  ORM;

for a one-word query (Spanish "aparcamiento", found through Valencian stems too), a phrase
("carrer major") and a filtered query ("plaza" in Valencian, received, in three months).
Prints the median and 95th percentile in milliseconds and the ratio search/bare. Nothing is
asserted; figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "pregonero_bench_archive"
BATCH = 5000
NEEDLE = "Quan obriran l'aparcament nou de la plaça?"

SPANISH = [
    "la farola de mi calle no funciona",
    "hay un bache enorme en la avenida",
    "los contenedores llevan días sin vaciarse",
    "¿a qué hora abre la piscina municipal?",
    "no hay aparcamiento en el centro",
    "la plaza mayor está muy sucia",
    "muchas gracias por la información",
]
VALENCIAN = [
    "el carrer Major està ple de forats",
    "els contenidors estan bruts des de fa setmanes",
    "moltes gràcies per la informació",
    "quan obri la biblioteca dissabte?",
    "quina vergonya, ningú arregla la font de la plaça",
    "les obres del carrer nou tallen el trànsit",
]
POSTS = [
    "Demà es talla el carrer Major per obres",
    "Mañana se corta la calle Mayor por obras",
    "Festes de setembre: programa complet",
    "Nuevo horario de la biblioteca municipal",
]

QUERIES = [
    ("one word", "aparcamiento", {}),
    ("phrase", '"carrer major"', {}),
    (
        "filtered",
        "plaza",
        {
            "language": "ca",
            "direction": "in",
            "date_from": date(2025, 3, 1),
            "date_to": date(2025, 5, 31),
        },
    ),
]


def _rows(organisation_id: int, count: int):
    from pregonero.archive.chain import GENESIS, content_digest, record_hash
    from pregonero.archive.search_text import searchable

    rng = random.Random(11)  # noqa: S311 (varied text, not secrets)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = timedelta(days=730).total_seconds()
    index_text: dict[str, str] = {}
    previous = GENESIS
    for seq in range(1, count + 1):
        outbound = rng.random() < 0.2
        if seq % 5000 == 0:
            text, language = NEEDLE, "ca"
        elif outbound:
            text = rng.choice(POSTS)
            language = "ca" if text in POSTS[::2] else "es"
        else:
            language = rng.choice(["es", "ca"])
            phrases = SPANISH if language == "es" else VALENCIAN
            text = ". ".join(rng.choices(phrases, k=rng.randint(1, 3))).capitalize() + "."
        text = f"{text} #{seq % 997}"
        when = start + timedelta(seconds=span * seq / count)
        fields = {
            "organisation_id": organisation_id,
            "seq": seq,
            "captured_at": when + timedelta(seconds=3),
            "kind": "post.published" if outbound else "message.received",
            "source_type": "bench.item",
            "source_id": str(seq),
            "channel_ref": rng.randint(1, 5),
            "channel_label": "Xarxa",
            "network": "mastodon",
            "direction": "out" if outbound else "in",
            "remote_id": f"r{seq}",
            "url": "",
            "occurred_at": when,
            "author": "Ajuntament" if outbound else f"Veí {rng.randint(1, 2000)} (@v{seq % 2000})",
            "language": language,
            "conversation_ref": None if outbound else seq // 4,
            "post_ref": seq // 40 if outbound else None,
            "department_ref": rng.randint(1, 4),
            "content_digest": content_digest(text, {}),
            "prev_hash": previous,
        }
        fields["hash"] = previous = record_hash(fields)
        if text not in index_text:
            index_text[text] = searchable(text, "", language)
        author_index = searchable("", fields["author"])
        search_text = index_text[text]
        if author_index:
            words, terms = (search_text or "\n").split("\n")
            author_words, author_terms = author_index.split("\n")
            search_text = f"{words} {author_words}\n{terms} {author_terms}".strip()
        yield fields, text, search_text


def build(organisation_id: int, count: int) -> float:
    from django.db import transaction

    from pregonero.archive.models import ArchiveRecord
    from pregonero.archive.services import chain_key
    from pregonero.audit import services as audit

    began = time.perf_counter()
    batch = []
    last = None
    for fields, text, search_text in _rows(organisation_id, count):
        batch.append(
            ArchiveRecord(
                **fields,
                text=text,
                content={},
                tags=["obres"] if fields["seq"] % 7 == 0 else [],
                search_text=search_text,
            )
        )
        last = fields
        if len(batch) == BATCH:
            ArchiveRecord.objects.bulk_create(batch)
            batch = []
    if batch:
        ArchiveRecord.objects.bulk_create(batch)
    with transaction.atomic():
        head = audit.locked_head(chain_key(organisation_id))
        head.last_seq, head.last_hash = last["seq"], last["hash"]
        head.save(update_fields=["last_seq", "last_hash"])
    return time.perf_counter() - began


def _timed(function, repeat: int) -> list[float]:
    function()  # warm the caches once, as a running server would have them
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return times


def _figures(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def measure(organisation, repeat: int) -> None:
    from django.core.paginator import Paginator
    from django.db import connection

    from pregonero.archive.search import Filters, fts5_expression, highlight, parse, search, tsquery

    print(
        f"  {'query':<10}{'found':>9}{'search ms (median/p95)':>26}{'bare ms (median/p95)':>24}{'ratio':>8}"
    )
    for label, text, filters in QUERIES:
        query = parse(text)

        def service(query=query, filters=filters):
            page = Paginator(search(organisation, query, Filters(**filters)), 25).get_page(1)
            found = page.paginator.count
            for record in page.object_list:
                highlight(record.text, query, around=25)
            return found

        if connection.vendor == "postgresql":
            sql_count = (
                "SELECT count(*) FROM archive_archiverecord WHERE search_vector @@ to_tsquery('simple', %s)"
            )
            sql_top = (
                "SELECT id FROM archive_archiverecord WHERE search_vector @@ to_tsquery('simple', %s) "
                "ORDER BY id DESC LIMIT 25"
            )
            expression = tsquery(query)
        else:
            sql_count = "SELECT count(*) FROM archive_search WHERE archive_search MATCH %s"
            sql_top = (
                "SELECT rowid FROM archive_search WHERE archive_search MATCH %s ORDER BY rowid DESC LIMIT 25"
            )
            expression = fts5_expression(query)[0]

        def bare(expression=expression, sql_count=sql_count, sql_top=sql_top):
            with connection.cursor() as cursor:
                cursor.execute(sql_count, [expression])
                cursor.fetchone()
                cursor.execute(sql_top, [expression])
                cursor.fetchall()

        found = service()
        searched = _figures(_timed(service, repeat))
        raw = _figures(_timed(bare, repeat))
        print(
            f"  {label:<10}{found:>9}{searched[0]:>14.1f} /{searched[1]:>8.1f}"
            f"{raw[0]:>14.1f} /{raw[1]:>8.1f}{searched[0] / raw[0]:>8.1f}",
            flush=True,
        )


def child(count: int, repeat: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from pregonero.accounts.services import create_organisation

    organisation = create_organisation(actor=None, name="Ajuntament de Bench", slug="bench")
    seconds = build(organisation.pk, count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE archive_archiverecord")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  built {count} records in one chain in {seconds:.0f} s ({count / seconds:.0f} records/s)",
        flush=True,
    )
    measure(organisation, repeat)


def psql(statement: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as connection:
            connection.execute(statement)
    except psycopg.OperationalError:
        return False
    return True


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--database", default="", help="one database URL to use instead (filled, not dropped)"
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.records, args.repeat)
        return
    print(f"Archive search benchmark: {args.records} records, {args.repeat} runs per query")
    with tempfile.TemporaryDirectory(prefix="pregonero-bench-archive-") as tmp:
        targets = (
            [("given", args.database)]
            if args.database
            else [(name, "") for name in args.databases.split(",")]
        )
        for database, url in targets:
            dropping = False
            if not url and database == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'archive.sqlite3'}"
            elif not url:
                if not psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"') or not psql(
                    f'CREATE DATABASE "{BENCH_DB}"'
                ):
                    print(f"{database}: PostgreSQL does not answer at {POSTGRES_URL}: skipped")
                    continue
                url, dropping = POSTGRES_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}", True
            print(f"{database} ({url.split('://')[0]})", flush=True)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "PREGONERO_DATA_DIR": tmp,
                "DJANGO_SETTINGS_MODULE": "pregonero.settings",
            }
            try:
                subprocess.run(  # noqa: S603
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        "--records",
                        str(args.records),
                        "--repeat",
                        str(args.repeat),
                    ],
                    env=env,
                    check=True,
                )
            finally:
                if dropping:
                    psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(sys.argv[1:])
