"""Send publications as they fall due, in a loop of its own (see docs/decisions/0002-dispatcher.md)."""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandParser

from pregonero.core.management.commands.worker import default_worker_id
from pregonero.publishing.tasks import run_dispatcher

logger = logging.getLogger("pregonero.dispatch")


class Command(BaseCommand):
    help = "Send due publications within a second of their time; any number may run at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--idle-sleep", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--worker-id", default=None, help="Name kept on claims and attempts.")

    def handle(self, *args, **options) -> None:
        worker = options["worker_id"] or default_worker_id()
        stop = threading.Event()
        # A publication in flight finishes before the process exits; a kill -9 leaves a lease
        # that reconciliation recovers.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        logger.info("Dispatcher %s started", worker)
        outcomes = run_dispatcher(worker, idle_sleep=options["idle_sleep"], stop=stop)
        logger.info("Dispatcher %s stopped: %s", worker, dict(outcomes))
