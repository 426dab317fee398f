"""Writing audit entries and verifying them in the database, as `pregonero audit verify` does."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pregonero.audit import services as audit
from pregonero.audit.models import AuditEntry, ChainHead, chain_key


def _table() -> str:
    return connection.ops.quote_name(AuditEntry._meta.db_table)


def test_entries_of_one_organisation_form_a_numbered_chain(vilanova, ana):
    first = audit.record("test.first", actor=ana, organisation=vilanova)
    second = audit.record("test.second", actor=ana, organisation=vilanova)
    assert second.chain == chain_key(vilanova.pk)
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash


def test_each_organisation_has_its_own_chain(vilanova, altea, ana, oscar):
    audit.record("test.here", actor=ana, organisation=vilanova)
    other = audit.record("test.there", actor=oscar, organisation=altea)
    assert other.chain == f"org:{altea.pk}"
    assert ChainHead.objects.get(key=other.chain).last_seq == other.seq


def test_entries_without_organisation_go_to_the_global_chain(db):
    entry = audit.record("login.failed", actor_label="nobody@example.org", outcome="failure")
    assert entry.chain == "global"
    assert entry.actor_label == "nobody@example.org"


def test_entries_cannot_be_changed_or_deleted_through_the_orm(vilanova, ana):
    entry = audit.record("test.entry", actor=ana, organisation=vilanova)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="other")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_request_details_are_recorded(rf, vilanova, ana):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox")
    entry = audit.record("test.entry", actor=ana, organisation=vilanova, request=request)
    assert entry.details == {"ip": "203.0.113.9", "user_agent": "Firefox"}


def test_verify_accepts_an_untouched_log(vilanova, ana, capsys):
    audit.record("test.entry", actor=ana, organisation=vilanova, changes={"name": ["a", "ñ → ç"]})
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_verify_detects_a_row_altered_directly_in_the_database(vilanova, ana):
    audit.record("test.one", actor=ana, organisation=vilanova)
    target = audit.record("test.two", actor=ana, organisation=vilanova)
    audit.record("test.three", actor=ana, organisation=vilanova)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET object_repr = %s WHERE id = %s", ["forged", target.pk])
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert f"at sequence {target.seq}" in str(error.value)
    assert f"entry id {target.pk}" in str(error.value)
    assert error.value.returncode == 1


def test_verify_detects_a_row_removed_directly_in_the_database(vilanova, ana):
    audit.record("test.one", actor=ana, organisation=vilanova)
    target = audit.record("test.two", actor=ana, organisation=vilanova)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE id = %s", [target.pk])
    report = audit.verify()
    assert not report.ok
    assert (report.broken.seq, report.broken.reason) == (target.seq, "missing")


def test_verify_detects_changed_changes_json(vilanova, ana):
    target = audit.record(
        "test.one", actor=ana, organisation=vilanova, changes={"role": ["reader", "editor"]}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET changes = %s WHERE id = %s", ['{"role": ["reader", "admin"]}', target.pk]
        )
    assert audit.verify().broken.entry_id == target.pk


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
