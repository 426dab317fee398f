"""The archive's hash chain: appended records verify, and any change made behind its back shows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pregonero.archive import services
from pregonero.archive.chain import content_digest, record_hash
from pregonero.archive.models import ArchiveRecord, Kind

pytestmark = pytest.mark.django_db


def _three(organisation):
    return [
        services.append(
            organisation, Kind.MESSAGE_RECEIVED, source=("test.item", n), text=text, author="@veí"
        )
        for n, text in enumerate(["On és l'aparcament nou?", "Gràcies 🙏", "¿Y el parking de la plaza?"])
    ]


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_records_are_numbered_and_linked_per_organisation(vilanova, altea):
    first, second, _third = _three(vilanova)
    other = services.append(altea, Kind.MESSAGE_RECEIVED, source=("test.item", 9), text="Hola")
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert second.prev_hash == first.hash
    assert first.hash == record_hash({**first.__dict__, "organisation_id": vilanova.pk})
    assert first.content_digest == content_digest(first.text, first.content)
    report = services.verify()
    assert report.ok and report.records == 4 and report.chains == 2


def test_changing_the_text_of_a_record_in_the_database_is_detected(vilanova):
    records = _three(vilanova)
    _sql("UPDATE archive_archiverecord SET text = %s WHERE id = %s", "Res", records[1].pk)
    report = services.verify()
    assert not report.ok
    assert (report.broken.seq, report.broken.reason) == (2, "content")


def test_changing_the_author_of_a_record_is_detected(vilanova):
    records = _three(vilanova)
    _sql("UPDATE archive_archiverecord SET author = %s WHERE id = %s", "@altre", records[0].pk)
    assert services.verify().broken.reason == "altered"


def test_removing_a_record_is_detected(vilanova):
    records = _three(vilanova)
    _sql("DELETE FROM archive_archiverecord WHERE id = %s", records[1].pk)
    assert services.verify().broken.reason in {"missing", "relinked"}
    assert services.verify().broken.seq == 2


def test_removing_the_last_record_is_detected_by_the_chain_head(vilanova):
    records = _three(vilanova)
    _sql("DELETE FROM archive_archiverecord WHERE id = %s", records[2].pk)
    assert (services.verify().broken.seq, services.verify().broken.reason) == (3, "missing")


def test_destroying_content_leaves_a_tombstone_and_the_chain_verifies(vilanova, alba):
    records = _three(vilanova)
    tombstone = services.destroy(records[0], reason="retention: 2 years", actor=alba)
    gone = ArchiveRecord.objects.get(pk=records[0].pk)
    assert (gone.text, gone.content, gone.search_text) == ("", {}, "")
    assert gone.destroyed_at is not None and gone.blocked_at is not None
    assert tombstone.kind == Kind.DESTROYED and tombstone.seq == 4
    assert tombstone.content["destroyed_seq"] == 1
    assert tombstone.content["content_digest"] == records[0].content_digest
    assert services.verify().ok
    assert services.destroy(records[0], reason="again") is None


def test_erasing_content_without_a_tombstone_is_detected(vilanova):
    records = _three(vilanova)
    _sql(
        "UPDATE archive_archiverecord SET text = '', destroyed_at = captured_at WHERE id = %s",
        records[1].pk,
    )
    broken = services.verify().broken
    assert (broken.seq, broken.reason) == (2, "untombstoned")


def test_blocked_records_are_out_of_view_unless_asked_for(vilanova, alba):
    records = _three(vilanova)
    assert services.block(records[0], reason="DATA-5", actor=alba)
    assert not services.block(records[0], reason="again", actor=alba)
    assert records[0].pk not in services.visible_records(vilanova).values_list("pk", flat=True)
    assert services.visible_records(vilanova, include_blocked=True).count() == 3
    assert services.unblock(records[0], actor=alba)
    assert services.visible_records(vilanova).count() == 3
    assert services.verify().ok


def test_records_cannot_be_deleted_through_django(vilanova):
    record = _three(vilanova)[0]
    with pytest.raises(TypeError):
        record.delete()
    with pytest.raises(TypeError):
        ArchiveRecord.objects.all().delete()


def test_the_command_says_intact_or_names_the_broken_record(vilanova, capsys):
    records = _three(vilanova)
    call_command("archive", "verify")
    assert "Archive intact: 3 records in 1 organisation chain(s)." in capsys.readouterr().out
    _sql("UPDATE archive_archiverecord SET url = %s WHERE id = %s", "https://example.org", records[2].pk)
    with pytest.raises(CommandError) as failure:
        call_command("archive", "verify")
    assert f"at sequence 3 (record id {records[2].pk})" in str(failure.value)
    assert failure.value.returncode == 1


def test_text_with_nul_characters_and_any_script_is_archived(vilanova):
    record = services.append(
        vilanova,
        Kind.MESSAGE_RECEIVED,
        source=("test.item", 1),
        text="a\x00b مرحبا 你好",
        content={"k\x00": "v\x00"},
    )
    record.refresh_from_db()
    assert record.text == "ab مرحبا 你好" and record.content == {"k": "v"}
    assert services.verify().ok
