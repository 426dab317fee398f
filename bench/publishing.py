"""Dispatcher figures: many publications due at once, sent by 1 and 2 worker processes.

Run: ``.venv/bin/python bench/publishing.py`` (``--publications 1000`` for a quick run).

Schedules N publications (default 10,000) due in the same minute across 500 channels of 50
organisations, against a local HTTP sink that acknowledges each call, then runs 1 and 2
``run_dispatcher`` worker processes. Prints, per database and worker count: publications per
second, lateness after the due time (median, p95, p99, max), duplicates seen by the sink (must
be 0) and the ratio to a baseline: the same sink driven by a plain loop of HTTP calls. Runs on
SQLite (a file in a temporary directory) and on PostgreSQL when it answers (database
``pregonero_bench``, created and dropped here). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "pregonero_bench"
# Posts go to this many channels each, as a town hall's post goes to its networks.
CHANNELS_PER_POST = 5
# Rows are scheduled this far ahead so every worker is up when they fall due.
LEAD_SECONDS = 3.0


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--workers", default="1,2", help="Worker counts to run, comma-separated.")
    parser.add_argument("--spread", type=float, default=0.0, help="Due times spread over this many seconds.")
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args(argv)

    from pregonero.channels.connectors.http_sink.sink import Sink

    with tempfile.TemporaryDirectory(prefix="pregonero-bench-") as tmp:
        env = {**os.environ, "PREGONERO_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "pregonero.settings"}
        baseline = plain_loop(Sink, args.publications)
        print(
            f"Publishing benchmark: {args.publications} publications, {args.channels} channels, "
            f"{args.organisations} organisations, due within {args.spread:g} s"
        )
        print(f"Baseline: a plain loop of HTTP calls to the same sink: {baseline:.0f} calls/s\n")
        header = f"{'database':<11}{'workers':>8}{'pub/s':>9}{'ratio':>7}{'median':>9}{'p95':>8}"
        print(header + f"{'p99':>8}{'max':>8}{'dups':>6}  states")
        for database in args.databases.split(","):
            template = make_template(database, Path(tmp), env)
            if template is None:
                print(f"{database:<11} PostgreSQL does not answer at {POSTGRES_URL}: skipped")
                continue
            try:
                for workers in (int(count) for count in args.workers.split(",")):
                    url = fresh_database(database, template, Path(tmp), env)
                    sink = Sink().start()
                    try:
                        figures = one_run(url, env, sink, workers, args)
                    finally:
                        sink.stop()
                        drop_database(database, url)
                    print_row(database, workers, figures, baseline)
            finally:
                drop_database(database, template)


def plain_loop(sink_class, calls: int) -> float:
    """Calls per second of a bare keep-alive loop of JSON POSTs to a fresh sink."""
    import httpx

    sink = sink_class().start()
    try:
        with httpx.Client() as client:
            started = time.perf_counter()
            for index in range(calls):
                client.post(
                    sink.url, json={"text": "x" * 200, "index": 0}, headers={"Idempotency-Key": str(index)}
                )
            return calls / (time.perf_counter() - started)
    finally:
        sink.stop()


def manage(env: dict, *command: str) -> None:
    subprocess.run([sys.executable, "-m", "django", *command], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def _psql(sql: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(
            POSTGRES_URL.replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=3
        ) as conn:
            conn.execute(sql)
    except psycopg.OperationalError:
        return False
    return True


def make_template(database: str, tmp: Path, env: dict) -> str | None:
    """A migrated, empty database each run starts from a copy of."""
    if database == "sqlite":
        url = f"sqlite:///{tmp / 'template.sqlite3'}"
    else:
        name = f"{BENCH_DB}_template"
        if not _psql(f'DROP DATABASE IF EXISTS "{name}"') or not _psql(f'CREATE DATABASE "{name}"'):
            return None
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    manage({**env, "DATABASE_URL": url}, "migrate", "--verbosity", "0")
    return url


def fresh_database(database: str, template: str, tmp: Path, env: dict) -> str:
    if database == "sqlite":
        path = tmp / f"run-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    _psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
    _psql(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE "{BENCH_DB}_template"')
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def drop_database(database: str, url: str) -> None:
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        _psql(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def child(env: dict, url: str, *command: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, *command],
        env={**env, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        text=True,
    )


def one_run(url: str, env: dict, sink, workers: int, args) -> dict:
    populate = child(
        env,
        url,
        "_populate",
        sink.url,
        str(args.publications),
        str(args.channels),
        str(args.organisations),
        str(args.spread),
    )
    due = float(populate.communicate()[0])
    until = str(due + args.spread)
    processes = [child(env, url, "_work", f"bench-{n}", str(due), until) for n in range(workers)]
    for process in processes:
        process.communicate()
    figures = json.loads(child(env, url, "_report").communicate()[0])
    figures["duplicates"] = sink.duplicates()
    return figures


def print_row(database: str, workers: int, figures: dict, baseline: float) -> None:
    late = figures["lateness"]
    print(
        f"{database:<11}{workers:>8}{figures['per_second']:>9.0f}{figures['per_second'] / baseline:>7.2f}"
        f"{late['median']:>8.2f}s{late['p95']:>7.2f}s{late['p99']:>7.2f}s{late['max']:>7.2f}s"
        f"{figures['duplicates']:>6}  {figures['states']}"
    )


# Child processes: each sets up Django against DATABASE_URL.


def _django() -> None:
    import django

    django.setup()
    from django.conf import settings

    # The sink listens on loopback.
    settings.OUTBOUND_ALLOW_PRIVATE = True


def populate(sink_url: str, publications: int, channels: int, organisations: int, spread: float) -> None:
    import random
    from datetime import UTC, datetime, timedelta

    from pregonero.accounts.models import Person
    from pregonero.accounts.services import create_organisation
    from pregonero.channels.models import Channel
    from pregonero.publishing.models import Post, PostState, Publication, Variant

    author = Person.objects.create_user("bench@example.org", None, full_name="Bench")
    orgs = [
        create_organisation(actor=None, slug=f"town-{n}", name=f"Town {n}", require_two_factor=False)
        for n in range(organisations)
    ]
    per_org = channels // organisations
    channel_rows = Channel.objects.bulk_create(
        Channel(organisation=org, connector="http_sink", name=f"Channel {n}", config={"url": sink_url})
        for org in orgs
        for n in range(per_org)
    )
    by_org: dict[int, list[Channel]] = {}
    for channel in channel_rows:
        by_org.setdefault(channel.organisation_id, []).append(channel)
    posts = Post.objects.bulk_create(
        Post(organisation=orgs[n % len(orgs)], author=author, title=f"Post {n}", state=PostState.SCHEDULED)
        for n in range(-(-publications // CHANNELS_PER_POST))
    )
    variants = []
    for number in range(publications):
        post = posts[number // CHANNELS_PER_POST]
        channel = by_org[post.organisation_id][number % CHANNELS_PER_POST]
        variants.append(Variant(post=post, language="es", channel=channel, body="x" * 200, parts=["x" * 200]))
    variants = Variant.objects.bulk_create(variants, batch_size=2000)
    due = datetime.now(UTC) + timedelta(seconds=LEAD_SECONDS)
    rng = random.Random(1)  # noqa: S311 -- spreading due times, not secrecy
    Publication.objects.bulk_create(
        (
            Publication(
                organisation_id=variant.post.organisation_id,
                post=variant.post,
                variant=variant,
                channel=variant.channel,
                due_at=due + timedelta(seconds=rng.uniform(0, spread)),
            )
            for variant in variants
        ),
        batch_size=2000,
    )
    print(due.timestamp())


def work(name: str, due: float, until: float) -> None:
    from pregonero.publishing.tasks import run_dispatcher

    time.sleep(max(0.0, due - time.time()))
    while True:
        run_dispatcher(name, until_idle=True)
        if time.time() > until:
            break
        time.sleep(0.05)


def report() -> None:
    from collections import Counter

    from pregonero.publishing.models import Publication

    rows = list(Publication.objects.values_list("state", "due_at", "sent_at"))
    lateness = sorted((sent - due).total_seconds() for _state, due, sent in rows if sent is not None)
    first_due = min(due for _state, due, _sent in rows)
    last_sent = max(sent for _state, _due, sent in rows if sent is not None)
    quantiles = statistics.quantiles(lateness, n=100) if len(lateness) > 1 else lateness * 99
    print(
        json.dumps(
            {
                "per_second": len(lateness) / max((last_sent - first_due).total_seconds(), 1e-9),
                "lateness": {
                    "median": statistics.median(lateness),
                    "p95": quantiles[94],
                    "p99": quantiles[98],
                    "max": lateness[-1],
                },
                "states": dict(Counter(state for state, _due, _sent in rows)),
            }
        )
    )


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or [""]
    if command == "_populate":
        _django()
        populate(rest[0], int(rest[1]), int(rest[2]), int(rest[3]), float(rest[4]))
    elif command == "_work":
        _django()
        work(rest[0], float(rest[1]), float(rest[2]))
    elif command == "_report":
        _django()
        report()
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        run(sys.argv[1:])
