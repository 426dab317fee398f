"""Searching the archive through the API: editors and above, with the archive scope, never blocked records."""

from __future__ import annotations

import pytest

from pregonero.accounts.roles import Role
from pregonero.api.models import Access, Resource
from pregonero.api.tests.conftest import make_token
from pregonero.archive import services as archive
from pregonero.archive.models import Kind

pytestmark = pytest.mark.django_db
PATH = "organisations/vilanova-de-mar/archive/records"


@pytest.fixture
def records(vilanova):
    texts = [
        ("Quan obriran l'aparcament nou de la plaça?", "ca", "@veina@xarxa.example"),
        ("Gràcies per la informació de les festes.", "ca", "@pere@xarxa.example"),
        ("<script>alert(1)</script> el parking sigue cerrado", "es", "@troll@xarxa.example"),
    ]
    return [
        archive.append(
            vilanova,
            Kind.MESSAGE_RECEIVED,
            source=("test.item", n),
            text=text,
            language=lang,
            author=who,
            direction="in",
        )
        for n, (text, lang, who) in enumerate(texts)
    ]


def test_a_spanish_query_finds_a_valencian_comment(api, editor_token, records):
    response = api.get(f"{PATH}?q=aparcamiento", editor_token)
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [item["seq"] for item in items] == [records[0].seq]
    assert items[0]["hash"] == records[0].hash and items[0]["direction"] == "in"


def test_filters_and_pages_work_together(api, editor_token, records):
    first = api.get(f"{PATH}?language=ca&limit=1", editor_token).json()
    assert [item["seq"] for item in first["items"]] == [records[1].seq]
    second = api.get(f"{PATH}?language=ca&limit=1&cursor={first['next_cursor']}", editor_token).json()
    assert [item["seq"] for item in second["items"]] == [records[0].seq]
    assert second["next_cursor"] is None


def test_one_record_comes_with_its_content_and_citizen_text_as_plain_data(api, editor_token, records):
    body = api.get(f"{PATH}/{records[2].seq}", editor_token).json()
    assert body["text"].startswith("<script>") and body["content"] == {}
    assert body["content_digest"] == records[2].content_digest


def test_blocked_records_are_neither_listed_nor_read(api, editor_token, records, alba):
    archive.block(records[0], reason="DATA-5", actor=alba)
    assert api.get(f"{PATH}?q=aparcament", editor_token).json()["items"] == []
    assert api.get(f"{PATH}/{records[0].seq}", editor_token).status_code == 404


def test_readers_contributors_and_tokens_without_the_scope_are_refused(api, vilanova, alba, records):
    for role in (Role.READER, Role.CONTRIBUTOR):
        assert api.get(PATH, make_token(vilanova, alba, role)).status_code == 403
    no_scope = make_token(vilanova, alba, Role.EDITOR, scopes={Resource.INBOX: Access.READ})
    assert api.get(PATH, no_scope).status_code == 403


def test_bad_query_syntax_is_not_an_error(api, editor_token, records):
    for query in ['"unclosed', "AND OR NOT", "-", "*", "((("]:
        assert api.get(f"{PATH}?q={query}", editor_token).status_code == 200


# Exports (REC-1) through the API

EXPORTS = "organisations/vilanova-de-mar/archive/exports"


def test_an_export_is_asked_for_followed_and_downloaded(
    api, editor_token, records, django_capture_on_commit_callbacks
):
    import hashlib
    import io
    import zipfile

    from pregonero.audit.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post(
            EXPORTS,
            editor_token,
            json={"q": "aparcamiento", "redact": True},
            headers={"Idempotency-Key": "e-1"},
        )
    assert asked.status_code == 202, asked.content
    assert asked.json()["total"] == 1 and asked.json()["redacted"] is True
    status = api.get(asked["Location"], editor_token).json()
    assert status["state"] == "ready" and status["filters"] == {"q": "aparcamiento"}
    download = api.get(status["download"], editor_token)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == status["sha256"]
    with zipfile.ZipFile(io.BytesIO(body)) as bundle:
        lines = bundle.read("records.jsonl").decode().splitlines()
    assert len(lines) == 1 and "aparcament" in lines[0]
    assert AuditEntry.objects.filter(action="archive.export_downloaded").count() == 1


def test_a_retried_request_creates_one_export(api, editor_token, records):
    from pregonero.exports.models import ExportJob

    first = api.post(EXPORTS, editor_token, json={}, headers={"Idempotency-Key": "same"})
    again = api.post(EXPORTS, editor_token, json={}, headers={"Idempotency-Key": "same"})
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"] and ExportJob.objects.count() == 1


def test_an_export_not_ready_is_not_downloaded(api, editor_token, records):
    asked = api.post(EXPORTS, editor_token, json={}, headers={"Idempotency-Key": "queued"}).json()
    assert asked["state"] == "queued" and asked["download"] is None
    assert api.get(f"{EXPORTS}/{asked['id']}/download", editor_token).status_code == 404


def test_exports_are_refused_to_other_roles_scopes_and_organisations(
    api, vilanova, alba, records, altea_token
):
    for role in (Role.READER, Role.CONTRIBUTOR):
        token = make_token(vilanova, alba, role)
        assert api.post(EXPORTS, token, json={}, headers={"Idempotency-Key": f"r-{role}"}).status_code == 403
    read_only = make_token(vilanova, alba, Role.EDITOR, scopes={Resource.ARCHIVE: Access.READ})
    assert api.post(EXPORTS, read_only, json={}, headers={"Idempotency-Key": "ro"}).status_code == 403
    editor = make_token(vilanova, alba, Role.EDITOR)
    job = api.post(EXPORTS, editor, json={}, headers={"Idempotency-Key": "mine"}).json()
    assert api.get(f"{EXPORTS}/{job['id']}", altea_token).status_code == 404
    altea_path = f"organisations/altea/archive/exports/{job['id']}"
    assert api.get(altea_path, altea_token).status_code == 404


def test_an_export_of_another_organisations_department_is_refused_field_by_field(
    api, editor_token, records, altea
):
    from pregonero.accounts.models import Department
    from pregonero.exports.models import ExportJob

    theirs = Department.objects.create(organisation=altea, name="Turisme")
    refused = api.post(
        EXPORTS, editor_token, json={"department": theirs.pk}, headers={"Idempotency-Key": "d"}
    )
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["department"]
    assert not ExportJob.objects.exists()


def test_an_export_of_internal_records_holds_only_those(api, editor_token, vilanova, records):
    archive.append(vilanova, Kind.MESSAGE_RECEIVED, source=("test.item", 99), text="Nota", direction="")
    asked = api.post(EXPORTS, editor_token, json={"direction": "internal"}, headers={"Idempotency-Key": "i"})
    assert asked.status_code == 202, asked.content
    assert asked.json()["total"] == 1  # not the three citizens' messages
