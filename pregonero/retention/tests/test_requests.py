"""Data-subject requests: find everything about one citizen, erase by blocking; admins only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pregonero.archive.models import ArchiveRecord, Kind
from pregonero.audit.models import AuditEntry
from pregonero.channels.connectors.inbound import MessageKind
from pregonero.inbox import ingest
from pregonero.inbox.models import Message
from pregonero.inbox.tests.fakes import message
from pregonero.retention import services
from pregonero.retention.models import (
    DataSubjectRequest,
    LegalHold,
    RequestKind,
    RequestState,
    one_month_after,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def messages(channel):
    for remote_id, text, handle in [
        ("d1", "Hola, soc la Maria.", "@maria@fake.example"),
        ("d2", "Escriviu-me a maria.puig@example.org o al 600 12 34 56.", "@maria@fake.example"),
        ("c1", "La Maria té raó, el parc està brut.", "@pere@fake.example"),
        ("c2", "Trucau-me al 600-123-456, per favor.", "@anna@fake.example"),
    ]:
        kind = MessageKind.DIRECT if remote_id.startswith("d") else MessageKind.REPLY
        ingest.store(channel, message(remote_id, text, kind=kind, handle=handle, when=NOW), now=NOW)


def _request(vilanova, alba, kind=RequestKind.ACCESS, identifiers=("@maria@fake.example",)):
    row = DataSubjectRequest(kind=kind, reference="RE-2026-118", identifiers=list(identifiers))
    return services.open_request(vilanova, actor=alba, request_row=row)


def test_everything_by_the_citizen_is_found_by_their_handle(messages, vilanova, alba):
    found = services.found_for(_request(vilanova, alba))
    assert sorted(found.values_list("remote_id", flat=True)) == ["d1", "d2"]


def test_a_phone_is_found_however_it_was_written(messages, vilanova, alba):
    found = services.found_for(_request(vilanova, alba, identifiers=["+34 600123456"]))
    assert sorted(found.values_list("remote_id", flat=True)) == ["c2", "d2"]


def test_an_email_address_finds_the_messages_that_mention_it(messages, vilanova, alba):
    found = services.found_for(_request(vilanova, alba, identifiers=["MARIA.PUIG@example.org"]))
    assert list(found.values_list("remote_id", flat=True)) == ["d2"]


def test_erasure_blocks_what_was_found_and_erases_the_inbox_copy(messages, vilanova, alba):
    row = _request(vilanova, alba, kind=RequestKind.ERASURE)
    assert services.erase(row, actor=alba) == 2
    blocked = ArchiveRecord.objects.filter(blocked_reason=f"erasure:{row.pk}")
    assert sorted(blocked.values_list("remote_id", flat=True)) == ["d1", "d2"]
    assert set(Message.objects.filter(remote_id__in=["d1", "d2"]).values_list("text", flat=True)) == {""}
    assert Message.objects.get(remote_id="c1").text.startswith("La Maria")
    row.refresh_from_db()
    assert row.state == RequestState.ANSWERED
    assert AuditEntry.objects.filter(action="retention.request_erased", actor=alba).exists()
    # Destroyed when the blocking period (three years by default) is over.
    assert services.run(now=datetime.now(UTC) + timedelta(days=3 * 365 + 1)).destroyed == 2
    assert ArchiveRecord.objects.filter(kind=Kind.DESTROYED).count() == 2


def test_erasure_refuses_records_under_a_legal_hold(messages, vilanova, alba):
    services.place_hold(
        vilanova, actor=alba, hold=LegalHold(title="Cas", reason="-", citizen="@maria@fake.example")
    )
    row = _request(vilanova, alba, kind=RequestKind.ERASURE)
    with pytest.raises(ValidationError):
        services.erase(row, actor=alba)
    assert not ArchiveRecord.objects.filter(blocked_at__isnull=False).exists()


def test_an_access_request_does_not_erase(messages, vilanova, alba):
    with pytest.raises(ValidationError):
        services.erase(_request(vilanova, alba), actor=alba)


def test_only_administrators_handle_requests(messages, vilanova, ana):
    with pytest.raises(PermissionDenied):
        _request(vilanova, ana)


def test_the_answer_is_due_one_calendar_month_after_receipt():
    assert one_month_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert one_month_after(date(2026, 12, 15)) == date(2027, 1, 15)


def _url(name, organisation, *args):
    return reverse(f"retention:{name}", args=[organisation.slug, *args])


def test_the_pages_are_for_administrators_of_the_organisation(client_for, vilanova, alba, ana, oscar):
    assert client_for(oscar).get(_url("settings", vilanova)).status_code == 404
    assert client_for(oscar).post(_url("run", vilanova)).status_code == 404
    assert client_for(ana).get(_url("requests", vilanova)).status_code == 403
    assert client_for(alba).get(_url("settings", vilanova)).status_code == 200


def test_an_administrator_records_a_request_and_sees_what_was_found(
    client_for, messages, vilanova, alba, oscar
):
    client = client_for(alba)
    response = client.post(
        _url("requests", vilanova),
        {
            "kind": "erasure",
            "reference": "RE-1",
            "received_at": "2026-03-02",
            "identifier_lines": "@maria@fake.example\n",
            "notes": "",
        },
    )
    row = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("request", vilanova, row.pk)
    page = client.get(response["Location"]).content.decode()
    assert "2 records found" in page and "Hola, soc la Maria." in page
    client.post(_url("request", vilanova, row.pk), {"form": "erase"})
    assert ArchiveRecord.objects.filter(blocked_reason=f"erasure:{row.pk}").count() == 2
    assert client_for(oscar).get(_url("request", vilanova, row.pk)).status_code == 404


def test_citizen_text_is_escaped_on_the_request_page(client_for, channel, vilanova, alba):
    ingest.store(
        channel, message("x1", "<script>alert(1)</script>", kind=MessageKind.DIRECT, when=NOW), now=NOW
    )
    row = _request(vilanova, alba)
    page = client_for(alba).get(_url("request", vilanova, row.pk)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_an_administrator_saves_policies_and_switches_one_off(client_for, vilanova, alba):
    client = client_for(alba)
    client.post(
        _url("settings", vilanova),
        {
            "form": "policies",
            "private_keep": "730",
            "private_block": "1095",
            "public_keep": "",
            "public_block": "0",
        },
    )
    policy = vilanova.retention_policies.get()
    assert (policy.category, policy.keep_days, policy.block_days, policy.active) == (
        "private",
        730,
        1095,
        True,
    )
    client.post(
        _url("settings", vilanova),
        {
            "form": "policies",
            "private_keep": "",
            "private_block": "1095",
            "public_keep": "",
            "public_block": "0",
        },
    )
    assert not vilanova.retention_policies.get().active
    assert AuditEntry.objects.filter(action="retention.policies_changed").count() == 2


def test_a_hold_needs_to_say_what_it_covers(client_for, vilanova, alba):
    response = client_for(alba).post(
        _url("settings", vilanova), {"form": "hold", "hold-title": "Cas", "hold-reason": "Jutjat"}
    )
    assert response.status_code == 200
    assert "Say what the hold covers" in response.content.decode()
    assert not LegalHold.objects.exists()
