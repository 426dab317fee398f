"""Admin commands, the demo bootstrap, and `pregonero run` end to end."""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pregonero.accounts.models import Membership, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit.models import AuditEntry
from pregonero.conftest import PASSWORD
from pregonero.core.management.commands import bootstrap_demo

REPO = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    output = io.StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


def test_createorg_creates_an_audited_organisation_below_its_parent(diputacion):
    run("createorg", "Ajuntament de Sueca", "sueca", "--parent", diputacion.slug, "--languages", "ca,es")
    sueca = Organisation.objects.get(slug="sueca")
    assert sueca.parent == diputacion
    assert (sueca.default_language, sueca.official_languages) == ("ca", ["ca", "es"])
    assert sueca.require_two_factor is True
    assert AuditEntry.objects.filter(action="organisation.created", organisation=sueca).exists()


def test_createorg_refuses_an_unknown_language(db):
    with pytest.raises(CommandError, match="official_languages"):
        run("createorg", "Ajuntament de Sueca", "sueca", "--languages", "ca,xx")


def test_createorg_refuses_an_unknown_parent(db):
    with pytest.raises(CommandError, match="nowhere"):
        run("createorg", "Ajuntament de Sueca", "sueca", "--parent", "nowhere")


def test_createadmin_creates_an_audited_administrator(vilanova, tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text("a long enough passphrase\n")
    run(
        "createadmin", "Nuria@Vilanova.example", "--full-name", "Núria Puig",
        "--organisation", vilanova.slug, "--password-file", str(password_file),
    )  # fmt: skip
    nuria = Person.objects.get(email="nuria@vilanova.example")
    assert nuria.check_password("a long enough passphrase")
    assert Membership.objects.get(person=nuria, organisation=vilanova).role == Role.ADMIN
    assert AuditEntry.objects.filter(action="person.created", object_id=str(nuria.pk)).exists()


def test_createadmin_promotes_an_existing_person_keeping_password_and_departments(carles, vilanova):
    assert "Promoted" in run("createadmin", carles.email, "--organisation", vilanova.slug)
    membership = Membership.objects.get(person=carles, organisation=vilanova)
    assert membership.role == Role.ADMIN
    assert list(membership.departments.values_list("name", flat=True)) == ["Urbanismo"]
    carles.refresh_from_db()
    assert carles.check_password(PASSWORD)


def test_createadmin_refuses_a_weak_password(vilanova, tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text("short")
    with pytest.raises(CommandError, match="12"):
        run(
            "createadmin", "nuria@vilanova.example", "--full-name", "Núria Puig",
            "--organisation", vilanova.slug, "--password-file", str(password_file),
        )  # fmt: skip
    assert not Person.objects.filter(email="nuria@vilanova.example").exists()


def test_bootstrap_demo_creates_the_town_hall_below_its_council_with_an_admin(db):
    output = run("bootstrap_demo")
    town_hall = Organisation.objects.get(slug="vilanova-de-mar")
    assert town_hall.parent.name == "Diputació de València"
    assert town_hall.parent.kind == "provincial_council"
    assert town_hall.official_languages == ["ca", "es"]
    assert (town_hall.region, town_hall.province_code, town_hall.require_two_factor) == ("ES-VC", "46", True)
    assert "Serveis Socials" in town_hall.departments.values_list("name", flat=True)
    admin = Person.objects.get(email=bootstrap_demo.ADMIN_EMAIL)
    assert Membership.objects.get(person=admin, organisation=town_hall).role == Role.ADMIN
    assert sorted(town_hall.channels.values_list("connector", flat=True)) == ["email", "website"]
    password = output.split("password:", 1)[1].split()[0]
    assert admin.check_password(password)


def test_bootstrap_demo_a_second_time_changes_nothing(db):
    run("bootstrap_demo")
    password_hash = Person.objects.get().password
    entries = AuditEntry.objects.count()
    output = run("bootstrap_demo")
    assert "password" not in output
    assert "already exists" in output
    assert Person.objects.get().password == password_hash
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == (2, entries)


# `pregonero run` end to end. The child processes always use SQLite in a temporary data
# directory, whichever database the suite runs on: the point is the process handling.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, pending = set(), [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Running:
    """`pregonero run` in a subprocess, its output collected line by line."""

    def __init__(self, data_dir: Path, port: int):
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        environment.update(
            PREGONERO_DATA_DIR=str(data_dir), PORT=str(port), DJANGO_SETTINGS_MODULE="pregonero.settings"
        )
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "django", "run"],
            cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.output = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            try:
                self.output += self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"{text!r} did not appear; output so far:\n{self.output}")

    def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:  # noqa: S310
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def finish(self, timeout: float = 40) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("pregonero run did not stop")
        while not self.lines.empty():
            self.output += self.lines.get()
        return code


def test_pregonero_run_serves_stops_cleanly_and_keeps_its_data(tmp_path):
    data_dir, port = tmp_path / "var", free_port()

    first = Running(data_dir, port)
    first.wait_for("Pregonero is running at")
    assert f"http://127.0.0.1:{port}/" in first.output
    assert "admin@vilanova.example" in first.output
    password = first.output.split("password:", 1)[1].split()[0]
    manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())
    status, body = first.get("/accounts/login/")
    assert status == 200
    assert b'name="password"' in body
    status, body = first.get("/static/" + manifest["paths"]["pregonero/pregonero.css"])
    assert status == 200
    assert b"--accent" in body
    children = descendants(first.process.pid)
    assert len(children) >= 3  # gunicorn's arbiter and workers, and the task worker
    first.process.send_signal(signal.SIGINT)
    assert first.finish() == 0
    time.sleep(0.5)
    assert not [pid for pid in children if alive(pid)]

    second = Running(data_dir, port)
    second.wait_for("Pregonero is running at")
    assert "password:" not in second.output
    assert password not in second.output
    assert second.get("/accounts/login/")[0] == 200
    children = descendants(second.process.pid)
    worker = next(
        pid for pid in children if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    )
    os.kill(worker, signal.SIGKILL)
    assert second.finish() != 0
    assert "worker stopped unexpectedly" in second.output
    time.sleep(0.5)
    assert not [pid for pid in children if alive(pid)]
