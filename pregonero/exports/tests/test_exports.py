"""Archive exports: the ZIP verifies, tampering shows, redaction hides personal data, access is scoped."""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from pregonero.archive import services as archive
from pregonero.archive.models import Direction, Kind
from pregonero.exports import services
from pregonero.exports.bundle import write_export
from pregonero.exports.models import ExportJob, ExportState
from pregonero.exports.verify_export import verify

pytestmark = pytest.mark.django_db

DNI, PHONE, EMAIL = "12345678Z", "612 345 678", "maria.perez@example.net"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return default_storage.save("posts/cartell.png", ContentFile(b"\x89PNG fake image"))


@pytest.fixture
def records(vilanova, media_file):
    made = [
        archive.append(
            vilanova,
            Kind.POST_PUBLISHED,
            source=("test.post", 1),
            text="Obrim el pàrquing nou de la plaça.",
            content={"media": [{"file": media_file, "description": "Cartell"}]},
            direction=Direction.OUT,
            author="Ajuntament de Vilanova de Mar",
        ),
        archive.append(
            vilanova,
            Kind.MESSAGE_RECEIVED,
            source=("test.message", 2),
            text=f"Soc Maria Pérez, DNI {DNI}, telèfon {PHONE}, correu {EMAIL}. I el pàrquing?",
            content={"raw": {"from": "@maria"}, "conversation": {"key": "@maria@xarxa.example"}},
            direction=Direction.IN,
            author="Maria Pérez (@maria)",
            url="https://xarxa.example/@maria/1",
        ),
        archive.append(vilanova, Kind.MESSAGE_SENT, source=("test.message", 3), text="Hola @maria, dilluns."),
    ]
    return made


def _export(organisation, tmp_path, **options) -> str:
    path = tmp_path / "export.zip"
    with path.open("wb") as target:
        write_export(archive.visible_records(organisation), organisation, target, **options)
    return str(path)


def _rewrite(path: str, name: str, change) -> None:
    with zipfile.ZipFile(path) as source:
        entries = {item: source.read(item) for item in source.namelist()}
    entries[name] = change(entries[name])
    with zipfile.ZipFile(path, "w") as target:
        for item, data in entries.items():
            target.writestr(item, data)


def test_a_fresh_export_verifies_with_the_standard_library_script(vilanova, records, tmp_path):
    path = _export(vilanova, tmp_path, parameters={"q": "pàrquing"})
    assert verify(path) == []
    with zipfile.ZipFile(path) as bundle:
        names = set(bundle.namelist())
        manifest = json.loads(bundle.read("manifest.json"))
    assert {"records.jsonl", "records.csv", "summary.pdf", "proof/chain.jsonl", "verify.py"} <= names
    assert "media/posts/cartell.png" in names
    assert manifest["chain_head"]["seq"] == 3 and manifest["records"] == 3


def test_the_summary_is_a_tagged_pdf_ua_document(vilanova, records, tmp_path):
    with zipfile.ZipFile(_export(vilanova, tmp_path)) as bundle:
        pdf = bundle.read("summary.pdf")
    plain = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            plain += zlib.decompressobj().decompress(stream)
        except zlib.error:
            continue
    assert pdf.startswith(b"%PDF") and b"pdfuaid:part" in plain and b"StructTreeRoot" in plain


def test_the_csv_starts_with_a_bom_and_neutralises_formulas(vilanova, tmp_path, media_file):
    archive.append(vilanova, Kind.MESSAGE_RECEIVED, source=("t", 1), text='=HYPERLINK("x")', direction="in")
    with zipfile.ZipFile(_export(vilanova, tmp_path)) as bundle:
        text = bundle.read("records.csv").decode("utf-8")
    assert text.startswith("\ufeff") and "'=HYPERLINK" in text


def test_flipping_one_byte_of_the_records_fails_verification(vilanova, records, tmp_path):
    path = _export(vilanova, tmp_path)
    _rewrite(path, "records.jsonl", lambda data: data.replace(b"nou", b"vell", 1))
    assert "records.jsonl: SHA-256 differs from the manifest (the file was changed)" in verify(path)


def test_changing_a_media_file_fails_verification(vilanova, records, tmp_path):
    path = _export(vilanova, tmp_path)
    _rewrite(path, "media/posts/cartell.png", lambda data: data[:-1] + b"X")
    assert any(problem.startswith("media/posts/cartell.png: SHA-256 differs") for problem in verify(path))


def test_editing_a_record_and_its_manifest_entry_still_fails_verification(vilanova, records, tmp_path):
    path = _export(vilanova, tmp_path)
    with zipfile.ZipFile(path) as bundle:
        edited = bundle.read("records.jsonl").replace(b"dilluns", b"dimarts")
        manifest = json.loads(bundle.read("manifest.json"))
    import hashlib

    manifest["files"]["records.jsonl"] = hashlib.sha256(edited).hexdigest()
    _rewrite(path, "records.jsonl", lambda data: edited)
    _rewrite(path, "manifest.json", lambda data: json.dumps(manifest).encode())
    assert verify(path) == ["records: record 3 text or content was altered (digest differs)"]


def test_a_redacted_export_verifies_and_holds_no_personal_data(vilanova, records, tmp_path):
    path = _export(vilanova, tmp_path, redact=True)
    assert verify(path) == []
    with zipfile.ZipFile(path) as bundle:
        everything = b"".join(bundle.read(name) for name in bundle.namelist() if name != "summary.pdf")
        log = bundle.read("redactions.csv").decode("utf-8")
        manifest = json.loads(bundle.read("manifest.json"))
    for secret in (DNI, PHONE, EMAIL, "Maria Pérez", "@maria"):
        assert secret.encode() not in everything
    assert "[DNI-1]" in log and "[PHONE-1]" in log and DNI not in log
    assert manifest["redacted"] and manifest["redacted_records"] == [2, 3]


def test_a_redacted_export_numbers_the_same_handle_the_same_way(vilanova, records, tmp_path):
    with zipfile.ZipFile(_export(vilanova, tmp_path, redact=True)) as bundle:
        lines = [json.loads(line) for line in bundle.read("records.jsonl").splitlines()]
    assert "[HANDLE-1]" in lines[2]["text"]
    assert lines[1]["content"]["raw"] == "[REMOVED]"


def test_an_export_of_a_selection_links_the_gaps_in_the_proof(vilanova, records, tmp_path):
    path = tmp_path / "selection.zip"
    with path.open("wb") as target:
        write_export(archive.visible_records(vilanova).filter(seq__in=[1, 3]), vilanova, target)
    assert verify(str(path)) == []
    with zipfile.ZipFile(path) as bundle:
        proof = [json.loads(line) for line in bundle.read("proof/chain.jsonl").splitlines()]
    assert [entry["seq"] for entry in proof] == [1, 2, 3]
    assert "fields" not in proof[1]


def test_an_editor_asks_for_an_export_gets_it_by_email_and_downloads_it(
    client, vilanova, ana, records, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:list", args=[vilanova.slug]), {"q": "parquing", "redact": "on"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.state == ExportState.READY and job.total == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ana.email]
    page = client.get(reverse("exports:detail", args=[vilanova.slug, job.pk]))
    assert b"<progress" in page.content and b'aria-live="polite"' in page.content
    download = client.get(reverse("exports:download", args=[vilanova.slug, job.pk]))
    data = b"".join(download.streaming_content)
    path = default_storage.path(job.file)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() and verify(path) == []
    from pregonero.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="archive.export_downloaded").count() == 1


def test_another_organisation_gets_404(client, vilanova, oscar, ana, records, immediate_tasks):
    job = ExportJob.objects.create(organisation=vilanova, requested_by=ana, state=ExportState.READY)
    client.force_login(oscar)
    assert client.get(reverse("exports:detail", args=[vilanova.slug, job.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[vilanova.slug, job.pk])).status_code == 404


def test_a_contributor_gets_403(client, vilanova, carles, ana):
    job = ExportJob.objects.create(organisation=vilanova, requested_by=ana)
    client.force_login(carles)
    assert client.get(reverse("exports:list", args=[vilanova.slug])).status_code == 403
    assert client.get(reverse("exports:download", args=[vilanova.slug, job.pk])).status_code == 403


def test_expired_exports_lose_their_file(vilanova, ana, records, immediate_tasks, settings):
    job = services.request_export(vilanova, ana, {})
    services.build(job.pk)
    job.refresh_from_db()
    stored = job.file
    from django.utils import timezone

    assert services.expire(timezone.now() + services.KEEP_FOR * 2) == 1
    job.refresh_from_db()
    assert job.state == ExportState.EXPIRED and job.file == "" and not default_storage.exists(stored)


def test_the_command_verifies_an_export_and_names_what_broke(vilanova, records, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = _export(vilanova, tmp_path)
    out = io.StringIO()
    call_command("archive", "verify-export", path, stdout=out)
    assert "Export intact" in out.getvalue()
    _rewrite(path, "proof/chain.jsonl", lambda data: data.replace(b'"seq":2', b'"seq":7', 1))
    with pytest.raises(CommandError, match="proof/chain.jsonl: SHA-256 differs"):
        call_command("archive", "verify-export", path)


def test_an_export_holds_the_records_the_archive_search_finds(vilanova, records):
    from pregonero.exports.selection import records_for

    found = records_for(vilanova, {"q": "parquing", "direction": "in"})
    assert [record.seq for record in found] == [2]


def test_the_search_page_offers_to_export_its_results(client, vilanova, ana, records):
    client.force_login(ana)
    page = client.get(reverse("archive:search", args=[vilanova.slug]), {"q": "parquing", "page": "1"})
    assert reverse("exports:list", args=[vilanova.slug]) + "?q=parquing" in page.content.decode()


def test_an_export_without_its_proof_fails_verification(vilanova, records, tmp_path):
    path = _export(vilanova, tmp_path)
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist() if name != "proof/chain.jsonl"}
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    assert verify(path) == ["proof/chain.jsonl: missing from the ZIP"]


def test_a_finished_export_is_told_to_webhooks_as_export_ready(
    vilanova, alba, ana, records, immediate_tasks, settings, django_capture_on_commit_callbacks
):
    from pregonero.api import webhooks
    from pregonero.api.models import Event
    from pregonero.api.tests.receiver import Receiver

    settings.OUTBOUND_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        webhooks.create_endpoint(
            vilanova, actor=alba, name="Transparency portal", url=receiver.url, events=[Event.EXPORT_READY]
        )
        job = services.request_export(vilanova, ana, {}, redact=True)
        with django_capture_on_commit_callbacks(execute=True):
            services.build(job.pk)
        (delivery,) = receiver.received
    job.refresh_from_db()
    event = json.loads(delivery.body)
    assert event["type"] == "export.ready" and event["organisation"] == vilanova.slug
    export = event["data"]["export"]
    assert export["id"] == job.pk and export["sha256"] == job.sha256 and export["size"] == job.size
    assert export["records"] == len(records) and export["redacted"] is True
    assert export["url"].endswith(reverse("exports:detail", args=[vilanova.slug, job.pk]))
