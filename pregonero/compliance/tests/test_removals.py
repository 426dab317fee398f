"""ELEC-6: a board's removal order, its 24-hour clock, its evidence pack and its compliance note."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.compliance import removals
from pregonero.compliance.models import RemovalOrder
from pregonero.compliance.tests.factories import published_post
from pregonero.publishing.tests.composing import fake_networks_fixture, threads_fixture  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
BOARD = "Junta Electoral de Zona de València"


def pdf(name: str = "orden.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def record(organisation, actor, **values) -> RemovalOrder:
    values.setdefault("board", BOARD)
    values.setdefault("received_at", timezone.now() - timedelta(hours=2))
    values.setdefault("content", "Vídeo de balance de obras en Instagram")
    return removals.record_order(organisation, actor=actor, **values)


def url(name: str, organisation, *args) -> str:
    return reverse(f"compliance:{name}", args=[organisation.slug, *args])


def test_the_deadline_is_24_hours_after_the_order_arrived(vilanova, pau):
    received = timezone.now() - timedelta(hours=2)
    order = record(vilanova, pau, received_at=received, reference="JEZ 12/2027")
    assert order.deadline == received + timedelta(hours=24)
    entry = AuditEntry.objects.get(action="removal_order.recorded")
    assert entry.details["deadline"] == order.deadline.isoformat()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"received_at": timezone.now() + timedelta(hours=1)}, "received_at"),
        ({"content": ""}, "content"),
    ],
)
def test_an_order_that_cannot_be_right_is_refused_on_its_field(vilanova, pau, values, field):
    with pytest.raises(ValidationError) as error:
        record(vilanova, pau, **values)
    assert field in error.value.message_dict


def test_an_order_names_a_post_of_its_own_organisation(vilanova, altea, pau, oscar, threads):
    from pregonero.publishing.models import Post

    other = Post.objects.create(organisation=altea, author=oscar, title="Altea")
    with pytest.raises(ValidationError) as error:
        record(vilanova, pau, post=other)
    assert "post" in error.value.message_dict
    own = published_post(vilanova, pau, threads, "Balance de la legislatura en cifras.")
    assert record(vilanova, pau, post=own, content="").post == own


@pytest.mark.parametrize("persona", ["ana", "vera"])
def test_only_approvers_and_admins_record_orders(request, vilanova, persona):
    with pytest.raises(PermissionDenied):
        record(vilanova, request.getfixturevalue(persona))


def test_the_evidence_pack_takes_pdfs_and_images_only(vilanova, pau, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = record(vilanova, pau)
    evidence = removals.add_evidence(order, actor=pau, file=pdf(), description="La orden")
    assert (evidence.mime, evidence.size) == ("application/pdf", len(PDF))
    with pytest.raises(ValidationError) as error:
        removals.add_evidence(
            order, actor=pau, file=SimpleUploadedFile("nota.txt", b"hola"), description="Nota"
        )
    assert "file" in error.value.message_dict
    assert AuditEntry.objects.filter(action="removal_order.evidence_added").count() == 1


def test_complying_needs_a_note_and_records_whether_it_was_in_time(vilanova, pau, alba):
    order = record(vilanova, pau, received_at=timezone.now() - timedelta(hours=30))
    with pytest.raises(ValidationError) as error:
        removals.mark_complied(order, actor=pau, note=" ")
    assert "note" in error.value.message_dict
    removals.mark_complied(order, actor=pau, note="Vídeo retirado de Instagram a las 10:05")
    order.refresh_from_db()
    assert (order.complied_by, order.complied_late) == (pau, True)
    assert AuditEntry.objects.get(action="removal_order.complied").details["late"] is True
    with pytest.raises(ValidationError, match="already"):
        removals.mark_complied(order, actor=alba, note="Otra vez")


def test_open_orders_come_first_nearest_deadline_first(vilanova, pau):
    later = record(vilanova, pau, received_at=timezone.now() - timedelta(hours=1))
    sooner = record(vilanova, pau, received_at=timezone.now() - timedelta(hours=5))
    done = record(vilanova, pau, received_at=timezone.now() - timedelta(hours=10))
    removals.mark_complied(done, actor=pau, note="Retirado")
    assert list(removals.orders(vilanova)) == [sooner, later, done]
    assert list(removals.open_orders(vilanova)) == [sooner, later]


# Screens


@pytest.mark.parametrize("name", ["removals", "removal_new"])
def test_the_removal_pages_are_for_approvers(client_for, pau, ana, vera, oscar, vilanova, name):
    assert client_for(pau).get(url(name, vilanova)).status_code == 200
    assert client_for(ana).get(url(name, vilanova)).status_code == 403
    assert client_for(vera).get(url(name, vilanova)).status_code == 403
    assert client_for(oscar).get(url(name, vilanova)).status_code == 404


def test_recording_an_order_in_local_time_starts_the_clock_then(client_for, pau, vilanova):
    local = (
        (timezone.now() - timedelta(hours=3))
        .astimezone(ZoneInfo(vilanova.time_zone))
        .replace(second=0, microsecond=0)
    )
    response = client_for(pau).post(
        url("removal_new", vilanova),
        {"board": BOARD, "received_at": local.strftime("%Y-%m-%dT%H:%M"), "content": "Post de Facebook"},
        follow=True,
    )
    order = RemovalOrder.objects.get()
    assert order.received_at == local
    assert order.deadline == local + timedelta(hours=24)
    page = response.content.decode()
    assert re.search(r"2[01]\xa0hours, \d+\xa0minutes left", page)


def test_an_overdue_order_says_so(client_for, pau, vilanova):
    order = record(vilanova, pau, received_at=timezone.now() - timedelta(hours=26))
    page = client_for(pau).get(url("removal_detail", vilanova, order.pk)).content.decode()
    assert "Overdue by 2" in page


def test_evidence_is_added_and_downloaded_only_within_the_organisation(
    client_for, pau, oscar, vilanova, altea, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = record(vilanova, pau)
    client = client_for(pau)
    client.post(url("removal_evidence_add", vilanova, order.pk), {"file": pdf(), "description": "La orden"})
    [evidence] = order.evidence.all()
    response = client.get(url("removal_evidence_file", vilanova, order.pk, evidence.pk))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    other = client_for(oscar)
    assert other.get(url("removal_evidence_file", altea, order.pk, evidence.pk)).status_code == 404
    assert other.get(url("removal_evidence_file", vilanova, order.pk, evidence.pk)).status_code == 404


def test_an_unsupported_evidence_file_is_refused_on_the_field(client_for, pau, vilanova, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = record(vilanova, pau)
    response = client_for(pau).post(
        url("removal_evidence_add", vilanova, order.pk),
        {"file": SimpleUploadedFile("a.txt", b"hola"), "description": "Nota"},
    )
    assert response.status_code == 200
    assert "Upload a PDF or an image" in str(response.context["evidence_form"].errors["file"])


def test_marking_complied_from_the_page(client_for, pau, vilanova):
    order = record(vilanova, pau)
    client = client_for(pau)
    response = client.post(url("removal_complied", vilanova, order.pk), {"note": ""})
    assert response.status_code == 200
    client.post(url("removal_complied", vilanova, order.pk), {"note": "Retirado a las 12:00"})
    order.refresh_from_db()
    assert order.compliance_note == "Retirado a las 12:00"
    assert "in time" in client.get(url("removals", vilanova)).content.decode()
