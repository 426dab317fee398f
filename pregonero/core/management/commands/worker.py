"""Run background tasks and the clock that enqueues the periodic ones."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError, close_old_connections, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from pregonero.core import clock

logger = logging.getLogger("pregonero.worker")


class Clock(threading.Thread):
    """Ticks :func:`pregonero.core.clock.tick` every ``interval`` seconds until stopped.

    A daemon thread: when the task loop exits, the process ends without waiting for it.
    A tick interrupted that way rolls back, and the next worker to tick claims the run.
    """

    def __init__(self, interval: float, worker_id: str):
        super().__init__(name="pregonero-clock", daemon=True)
        self.interval = interval
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                for name in clock.tick(worker=self.worker_id):
                    logger.info("Enqueued periodic task %s", name)
            except OperationalError:
                # A busy or restarting database must not stop the clock: try at the next tick.
                logger.exception("Clock tick failed; retrying in %s s", self.interval)
            self.stopped.wait(self.interval)
        connection.close()


def default_worker_id() -> str:
    """Unique across machines and readable in task results: host, process id, random suffix."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"[:64]


class Command(BaseCommand):
    help = "Run background tasks from the database, and the clock that enqueues periodic tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name", default="*", help="Queues to work on, comma-separated ('*' = all)."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument(
            "--clock-interval",
            type=float,
            default=30.0,
            help="Seconds between checks for due periodic tasks.",
        )
        parser.add_argument(
            "--no-clock", action="store_true", help="Run tasks only; enqueue no periodic ones."
        )
        parser.add_argument(
            "--worker-id", default=None, help="Name shown on task results (default: host-pid)."
        )

    def handle(self, *args, **options) -> None:
        worker_id = options["worker_id"] or default_worker_id()
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        ticker = None
        if not options["no_clock"]:
            ticker = Clock(options["clock_interval"], worker_id)
            ticker.start()
        logger.info("Worker %s started (clock %s)", worker_id, "off" if ticker is None else "on")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            if ticker is not None:
                ticker.stopped.set()
