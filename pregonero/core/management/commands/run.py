"""Prepare everything and run the web server and the worker together, in the foreground."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from types import FrameType

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pregonero.accounts.models import Organisation

# Children get this long to finish their current request or task before being killed.
STOP_TIMEOUT_SECONDS = 20
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when `pregonero run` dies.

    That covers the one case signal forwarding cannot: the parent killed with SIGKILL.
    Elsewhere this does nothing; the normal paths below still stop the children.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Apply migrations, collect static files, create the demo organisation on first use, "
        "then run the web server and the worker until Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo organisation.")

    def handle(self, *args, **options) -> None:
        self.stdout.write("Preparing the database...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_demo"] and not Organisation.objects.exists():
            call_command("bootstrap_demo", stdout=self.stdout)
        host, port = options["host"], options["port"]
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{port}/"
        code = self.supervise(
            {
                "web server": ["serve", "--bind", f"{shown_host}:{port}"],
                "worker": ["worker"],
            },
            url,
        )
        if code:
            sys.exit(code)

    def supervise(self, commands: dict[str, list[str]], url: str) -> int:
        """Start each command as a child, stop all of them when one ends or on SIGINT/SIGTERM.

        Returns 0 after a requested stop, 1 when a child ended on its own.
        """
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "pregonero.settings"),
        }
        stop_requested: list[int] = []

        def request_stop(signum: int, _frame: FrameType | None) -> None:
            stop_requested.append(signum)

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        children: dict[str, subprocess.Popen] = {}
        try:
            for name, arguments in commands.items():
                # Own session: Ctrl-C in the terminal reaches only this process, which
                # forwards one SIGTERM; a second, direct SIGINT would make the worker abort
                # its current task instead of finishing it.
                children[name] = subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "django", *arguments],
                    env=environment,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,  # noqa: PLW1509
                )
            self.stdout.write(self.style.SUCCESS(f"\nPregonero is running at {url}  (Ctrl-C stops it)\n"))
            self.stdout.flush()
            failed = ""
            while not stop_requested and not failed:
                failed = next((name for name, child in children.items() if child.poll() is not None), "")
                time.sleep(0.2)
            if failed:
                self.stderr.write(
                    f"The {failed} stopped unexpectedly (exit code {children[failed].returncode})."
                )
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0 if stop_requested and not failed else 1

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {name} did not stop in {STOP_TIMEOUT_SECONDS} s; killing it.")
                child.kill()
                child.wait()
        self.stdout.write("Stopped.")
