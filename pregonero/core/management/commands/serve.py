"""Run the web server: gunicorn, a real WSGI server, never Django's development server."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandParser

from pregonero import env

DEFAULT_BIND = "127.0.0.1:8000"


def gunicorn_argv(bind: str | None, workers: int | None, config: str | None) -> list[str]:
    """The command line that starts gunicorn for Pregonero.

    Without ``config``, unset options take Pregonero's defaults. With ``config``, the
    file decides whatever is not given here explicitly (gunicorn lets the command line
    win over its config file).
    """
    argv = [sys.executable, "-m", "gunicorn"]
    if config:
        argv += ["--config", config]
    else:
        bind = bind or DEFAULT_BIND
        workers = workers or env.integer("WEB_CONCURRENCY", 2)
        # gunicorn's control socket defaults to one path in $HOME, shared by every
        # instance for that user and unwritable under systemd's ProtectHome; nothing
        # in Pregonero uses it.
        argv += ["--access-logfile", "-", "--error-logfile", "-", "--no-control-socket"]
    if bind:
        argv += ["--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    return [*argv, "pregonero.wsgi:application"]


class Command(BaseCommand):
    help = "Serve Pregonero with gunicorn (access log on standard output)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help=f"Address to listen on (default {DEFAULT_BIND}).")
        parser.add_argument("--workers", type=int, help="Processes (default WEB_CONCURRENCY, else 2).")
        parser.add_argument("--config", help="A gunicorn configuration file, e.g. deploy/gunicorn.conf.py.")

    def handle(self, *args, **options) -> None:
        argv = gunicorn_argv(options["bind"], options["workers"], options["config"])
        sys.stdout.flush()
        sys.stderr.flush()
        # Replacing this process means signals from systemd or `pregonero run` reach
        # gunicorn's arbiter directly, with nothing in between to forget to forward them.
        os.execv(sys.executable, argv)  # noqa: S606
