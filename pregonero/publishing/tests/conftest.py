"""Builders for publications, the HTTP sink, and a database several processes can share."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from pregonero.accounts.models import Organisation, Person
from pregonero.channels.connectors.http_sink.sink import Sink
from pregonero.channels.models import Channel
from pregonero.publishing.models import Category, Post, PostState, PostText, Publication, Variant

WORKER_SCRIPT = Path(__file__).with_name("worker_process.py")


@pytest.fixture
def sink() -> Iterator[Sink]:
    peer = Sink().start()
    yield peer
    peer.stop()


@pytest.fixture
def deduplicating_sink() -> Iterator[Sink]:
    peer = Sink(dedupe=True).start()
    yield peer
    peer.stop()


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    # The sink listens on 127.0.0.1, which the outbound guard refuses by default.
    settings.OUTBOUND_ALLOW_PRIVATE = True


def make_channel(organisation: Organisation, name: str, sink: Sink, **config) -> Channel:
    """An http_sink channel; ``config`` may set ``idempotent`` and ``lookup``."""
    return Channel.objects.create(
        organisation=organisation, connector="http_sink", name=name, config={"url": sink.url, **config}
    )


def make_publication(
    channel: Channel,
    author: Person,
    *,
    parts: Sequence[str] = ("Demà es talla el carrer Major per obres.",),
    due_at: datetime | None = None,
    category: str = Category.SERVICE,
    post: Post | None = None,
    language: str = "ca",
) -> Publication:
    """A scheduled post going out on ``channel``, built row by row as the workflow would."""
    due_at = due_at or timezone.now() - timedelta(seconds=1)
    if post is None:
        post = Post.objects.create(
            organisation=channel.organisation,
            author=author,
            category=category,
            title="Obres al carrer Major",
            state=PostState.SCHEDULED,
            scheduled_at=due_at,
        )
        PostText.objects.create(post=post, language=language, body=" ".join(parts))
    post.channels.add(channel)
    variant = Variant.objects.create(
        post=post, language=language, channel=channel, body=" ".join(parts), parts=list(parts)
    )
    return Publication.objects.create(
        organisation=channel.organisation, post=post, variant=variant, channel=channel, due_at=due_at
    )


def start_worker(database_url: str, mode: str, name: str, *extra: str) -> subprocess.Popen:
    """Run ``worker_process.py`` against ``database_url`` in a process of its own."""
    return subprocess.Popen(  # noqa: S603 -- our interpreter and script, test arguments
        [sys.executable, str(WORKER_SCRIPT), mode, name, *extra],
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "pregonero.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def _default_database(name: str) -> Iterator[None]:
    """Point the default alias, in this thread and in threads started meanwhile, at ``name``.

    The in-memory test database is kept open by the original connection, which is put
    back afterwards.
    """
    settings_dict = connections.settings["default"]
    original_name, original = settings_dict["NAME"], connections["default"]
    settings_dict["NAME"] = name
    replacement = original.__class__(settings_dict, "default")
    connections["default"] = replacement
    try:
        yield
    finally:
        replacement.close()
        settings_dict["NAME"] = original_name
        connections["default"] = original


@pytest.fixture(scope="session")
def _sqlite_template(django_db_setup, django_db_blocker, tmp_path_factory) -> Path | None:
    if connection.vendor != "sqlite":
        return None
    path = tmp_path_factory.mktemp("shared-db") / "template.sqlite3"
    with django_db_blocker.unblock(), _default_database(str(path)):
        call_command("migrate", verbosity=0)
    return path


@pytest.fixture
def shared_db(django_db_blocker, _sqlite_template, tmp_path) -> Iterator[str]:
    """A database that worker processes and threads can open too; yields its DATABASE_URL.

    SQLite's test database lives in this process's memory, so a migrated file copy is used;
    PostgreSQL's test database is shared as it is, and emptied afterwards. Rows written
    here are committed at once, as in production (no test transaction).
    """
    with django_db_blocker.unblock():
        if _sqlite_template is None:
            db = connection.settings_dict
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            try:
                yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            finally:
                call_command("flush", interactive=False, verbosity=0)
        else:
            path = tmp_path / "shared.sqlite3"
            shutil.copyfile(_sqlite_template, path)
            with _default_database(str(path)):
                yield f"sqlite:///{path}"
