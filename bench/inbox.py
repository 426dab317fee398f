"""Inbox ingest throughput: messages per second through dedup, enrichment and routing.

Run: ``.venv/bin/python bench/inbox.py [--messages 5000] [--databases sqlite,postgres]``.

For each database (SQLite in a temporary file; PostgreSQL when it answers, in a database
``pregonero_bench_inbox`` created and dropped here) it migrates a fresh database, makes one
organisation with three routing rules and 200 earlier routing decisions, and stores N varied
citizen messages (Spanish and Valencian, threads, mentions and private chats) with
``inbox.ingest.store``; then the same N messages again (all duplicates); then bare inserts of
the same rows (one ``Message.objects.create`` each, into one conversation) as the baseline.
Prints messages per second for each and the ratio to the bare inserts. Nothing is asserted.

``--list-messages N`` (e.g. 1000000) instead measures the inbox list page's server time: it
bulk-inserts N messages in N/5 conversations (a tenth of them overdue, some assigned, tagged,
in departments), then ``--users`` threads (one, then the default 20) each ask ``--requests`` times for the
list's first page, a later page, a text search, an assignee + overdue filter and the live
update poll answered 304, through Django's test client (views, templates, middleware; no
network). Prints the median and 95th percentile in milliseconds for each.
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


def list_child(count: int, users: int, requests: int) -> None:
    import statistics
    import threading
    from datetime import timedelta

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in the tests: templates name static files without a collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from pregonero.accounts.models import Department, Membership, Person
    from pregonero.accounts.roles import Role
    from pregonero.accounts.services import create_organisation
    from pregonero.channels.models import Channel
    from pregonero.inbox.models import Conversation, Kind, Message, State

    organisation = create_organisation(
        actor=None, slug="bench", name="Bench", official_languages=["es", "ca"], require_two_factor=False
    )
    people = [
        Person.objects.create_user(f"p{n}@bench.example", "x-bench-password-1", full_name=f"Person {n}")
        for n in range(10)
    ]
    for person in people:
        Membership.objects.create(person=person, organisation=organisation, role=Role.EDITOR)
    departments = [Department.objects.create(organisation=organisation, name=f"D{n}") for n in range(5)]
    channel = Channel.objects.create(organisation=organisation, connector="website", name="Bench")
    rng = random.Random(11)  # noqa: S311 (varied rows, not secrets)
    now = timezone.now()
    phrases = SPANISH + VALENCIAN
    states = [State.NEW, State.OPEN, State.WAITING_CITIZEN, State.RESOLVED, State.CLOSED, State.CLOSED]
    conversations_count, batch = max(1, count // 5), 5000
    started = time.perf_counter()
    for first in range(0, conversations_count, batch):
        rows = []
        for number in range(first, min(first + batch, conversations_count)):
            state = rng.choice(states)
            late = number % 10 == 0
            rows.append(
                Conversation(
                    organisation=organisation,
                    channel=channel,
                    key=f"k{number}",
                    kind=rng.choice(list(Kind)),
                    citizen_handle=f"@c{number}@bench.example",
                    state=state,
                    assignee=rng.choice(people + [None] * 10),
                    department=rng.choice(departments + [None]),
                    tags=rng.sample(["carrers", "neteja", "cultura", "aigua"], k=rng.randint(0, 2)),
                    last_message_at=now - timedelta(minutes=number),
                    due_at=now + timedelta(hours=-2 if late else rng.randint(1, 200)),
                )
            )
        Conversation.objects.bulk_create(rows)
    ids = list(Conversation.objects.values_list("pk", flat=True))
    for first in range(0, count, batch):
        Message.objects.bulk_create(
            Message(
                conversation_id=ids[number % len(ids)],
                channel=channel,
                remote_id=f"m{number}",
                author_handle="@c@bench.example",
                text=". ".join(rng.choices(phrases, k=2)),
            )
            for number in range(first, min(first + batch, count))
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    spent = time.perf_counter() - started
    print(f"  filled {count} messages, {conversations_count} conversations in {spent:.0f} s")

    base = reverse("inbox:list", args=["bench"])
    updates = reverse("inbox:updates", args=["bench"])
    etag = Client(SERVER_NAME="localhost")
    etag.force_login(people[0])
    first = etag.get(updates)
    if first.status_code != 200:
        raise RuntimeError(f"{updates}: HTTP {first.status_code} {first.get('Location', '')}")
    version = first["ETag"]
    cases = {
        "first page": (base, {}),
        "page 5": (base, {"page": "5"}),
        "text search": (base, {"q": "farola"}),
        "assignee+overdue": (base, {"assignee": "me", "overdue": "on"}),
        "poll (304)": (updates, {"HTTP_IF_NONE_MATCH": version}),
    }
    for level, name, path, extra in [
        (level, name, path, extra) for level in sorted({1, users}) for name, (path, extra) in cases.items()
    ]:
        timings: list[float] = []
        lock = threading.Lock()

        def user(number: int, path=path, extra=extra, timings=timings, lock=lock, level=level) -> None:
            client = Client(SERVER_NAME="localhost")
            client.force_login(people[number % len(people)])
            headers = {key: value for key, value in extra.items() if key.startswith("HTTP_")}
            query = {key: value for key, value in extra.items() if not key.startswith("HTTP_")}
            for _ in range(requests if level > 1 else max(requests, 10)):
                begun = time.perf_counter()
                response = client.get(path, query, **headers)
                spent = (time.perf_counter() - begun) * 1000
                if response.status_code not in (200, 304):
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")
                with lock:
                    timings.append(spent)
            connection.close()

        threads = [threading.Thread(target=user, args=(number,)) for number in range(level)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(f"  {name:<18}{level:>6}{statistics.median(timings):>10.0f}{p95:>10.0f}{len(timings):>8}")


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
    parser.add_argument("--list-messages", type=int, default=0, help="measure the list page instead")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if args.list_messages:
            list_child(args.list_messages, args.users, args.requests)
        else:
            child(args.messages)
        return
    if args.list_messages:
        print(f"Inbox list page: {args.list_messages} messages, {args.users} concurrent users")
        print(f"  {'request':<18}{'users':>6}{'median ms':>10}{'p95 ms':>10}{'count':>8}")
    else:
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
            print(f"{database:<11}", end="\n" if args.list_messages else "", flush=True)
            mode = ["--list-messages", str(args.list_messages), "--users", str(args.users)]
            mode += (
                ["--requests", str(args.requests)]
                if args.list_messages
                else ["--messages", str(args.messages)]
            )
            try:
                subprocess.run(  # noqa: S603
                    [sys.executable, __file__, "--child", *mode],
                    env=env,
                    check=True,
                )
            finally:
                if database != "sqlite":
                    _psql(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(sys.argv[1:])
