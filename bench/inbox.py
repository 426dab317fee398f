"""Inbox ingest throughput: messages per second through dedup, enrichment and routing.

Run: ``.venv/bin/python bench/inbox.py [--messages 5000] [--databases sqlite,postgres]``.

For each database (SQLite in a temporary file; PostgreSQL when it answers, in a database
``pregonero_bench_inbox`` created and dropped here) it migrates a fresh database, makes one
organisation with three routing rules and 200 earlier routing decisions, and stores N varied
citizen messages (Spanish and Valencian, threads, mentions and private chats) with
``inbox.ingest.store``; then the same N messages again (all duplicates); then bare inserts of
the same rows (one ``Message.objects.create`` each, into one conversation) as the baseline.
Prints messages per second for each and the ratio to the bare inserts. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "pregonero_bench_inbox"

SPANISH = [
    "la farola de mi calle no funciona",
    "hay un bache enorme en la avenida",
    "los contenedores llevan días sin vaciarse",
    "es una vergüenza el estado del parque",
    "muchas gracias por la información",
    "¿a qué hora abre la piscina municipal?",
]
VALENCIAN = [
    "el carrer Major està ple de forats",
    "els contenidors estan bruts des de fa setmanes",
    "moltes gràcies per la informació",
    "quan obri la biblioteca dissabte?",
    "quina vergonya, ningú arregla la font de la plaça",
]


def messages(count: int):
    from pregonero.channels.connectors.inbound import MessageKind
    from pregonero.inbox.tests.fakes import message

    rng = random.Random(7)  # noqa: S311 (varied text, not secrets)
    for number in range(count):
        phrases = SPANISH if number % 2 else VALENCIAN
        text = ". ".join(rng.choices(phrases, k=rng.randint(1, 3))).capitalize() + "."
        author = str(rng.randint(1, count // 3 + 1))
        kind = rng.choice([MessageKind.REPLY, MessageKind.REPLY, MessageKind.MENTION, MessageKind.DIRECT])
        yield message(
            f"m{number}",
            text,
            kind=kind,
            author=author,
            handle=f"@p{author}@bench.example",
            in_reply_to=f"post-{rng.randint(1, 50)}" if kind == MessageKind.REPLY else None,
        )


def child(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pregonero.accounts.models import Department
    from pregonero.accounts.services import create_organisation
    from pregonero.channels.models import Channel
    from pregonero.inbox import ingest
    from pregonero.inbox.models import Conversation, Kind, Message, RoutingDecision, RoutingRule
    from pregonero.text.language import identify

    organisation = create_organisation(
        actor=None, slug="bench", name="Bench", official_languages=["es", "ca"]
    )
    departments = [
        Department.objects.create(organisation=organisation, name=name)
        for name in ("Obras", "Limpieza", "Cultura")
    ]
    for department, words in zip(
        departments, ("bache, forat", "contenedor, contenidor", "biblioteca"), strict=True
    ):
        RoutingRule.objects.create(organisation=organisation, department=department, keywords=words)
    channel = Channel.objects.create(organisation=organisation, connector="website", name="Bench")
    seed = Conversation.objects.create(
        organisation=organisation, channel=channel, key="seed", kind=Kind.THREAD
    )
    rng = random.Random(3)  # noqa: S311 (varied text, not secrets)
    RoutingDecision.objects.bulk_create(
        RoutingDecision(
            organisation=organisation, conversation=seed, department=rng.choice(departments), text=text
        )
        for text in rng.choices(SPANISH + VALENCIAN, k=200)
    )
    items = list(messages(count))
    # The language model loads on first use; that second is not ingest throughput.
    identify("Bon dia a tothom, com esteu?")

    started = time.perf_counter()
    for item in items:
        ingest.store(channel, item)
    ingest_rate = count / (time.perf_counter() - started)

    started = time.perf_counter()
    for item in items:
        ingest.store(channel, item)
    duplicate_rate = count / (time.perf_counter() - started)

    bare_channel = Channel.objects.create(organisation=organisation, connector="website", name="Bare")
    bare = Conversation.objects.create(
        organisation=organisation, channel=bare_channel, key="bare", kind=Kind.THREAD
    )
    started = time.perf_counter()
    for item in items:
        Message.objects.create(
            conversation=bare,
            channel=bare_channel,
            remote_id=item.remote_id,
            author_handle=item.author_handle,
            text=item.text,
            created_at=item.created_at,
        )
    bare_rate = count / (time.perf_counter() - started)
    conversations = Conversation.objects.filter(channel=channel).count()
    print(
        f"{ingest_rate:>10.0f}{ingest_rate / bare_rate:>8.2f}{duplicate_rate:>12.0f}{bare_rate:>10.0f}"
        f"{conversations:>15}"
    )


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


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.messages)
        return
    print(f"Inbox ingest benchmark: {args.messages} messages (store, enrichment, routing)")
    print(f"{'database':<11}{'new/s':>10}{'ratio':>8}{'dup/s':>12}{'bare/s':>10}{'conversations':>15}")
    with tempfile.TemporaryDirectory(prefix="pregonero-bench-inbox-") as tmp:
        for database in args.databases.split(","):
            if database == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'inbox.sqlite3'}"
            else:
                if not _psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"') or not _psql(
                    f'CREATE DATABASE "{BENCH_DB}"'
                ):
                    print(f"{database:<11}PostgreSQL does not answer at {POSTGRES_URL}: skipped")
                    continue
                url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "PREGONERO_DATA_DIR": tmp,
                "DJANGO_SETTINGS_MODULE": "pregonero.settings",
            }
            print(f"{database:<11}", end="", flush=True)
            try:
                subprocess.run(  # noqa: S603
                    [sys.executable, __file__, "--child", "--messages", str(args.messages)],
                    env=env,
                    check=True,
                )
            finally:
                if database != "sqlite":
                    _psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(sys.argv[1:])
