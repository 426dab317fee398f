"""ELEC-6: an electoral board orders content down; the organisation has 24 hours.

Approvers and administrators record the order (which board, when it arrived, what it concerns),
build its evidence pack (the order, screenshots before and after) and mark it complied with a
note saying what was done. Every step is audited; the deadline comes from
:func:`pregonero.checks.elections.removal_deadline`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.compliance.models import RemovalEvidence, RemovalOrder
from pregonero.publishing.media import sniff_mime
from pregonero.publishing.models import Post
from pregonero.publishing.rules import require, role_of
from pregonero.publishing.storage import storing_files

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# A clock a few minutes fast must not make "received just now" a time in the future.
CLOCK_TOLERANCE = timedelta(minutes=5)


def _require_approver(actor: Person, organisation: Organisation) -> None:
    require(role_of(actor, organisation).at_least(Role.APPROVER))


def orders(organisation: Organisation) -> QuerySet[RemovalOrder]:
    """Open orders first, nearest deadline first; then complied ones, latest first."""
    return (
        RemovalOrder.objects.filter(organisation=organisation)
        .select_related("post", "created_by", "complied_by")
        .order_by(F("complied_at").desc(nulls_first=True), "deadline", "pk")
    )


def open_orders(organisation: Organisation) -> QuerySet[RemovalOrder]:
    return orders(organisation).filter(complied_at__isnull=True)


@transaction.atomic
def record_order(
    organisation: Organisation,
    *,
    actor: Person,
    board: str,
    received_at: datetime,
    reference: str = "",
    post: Post | None = None,
    content: str = "",
    request=None,
) -> RemovalOrder:
    """Record an order received at ``received_at`` (aware); the 24-hour clock starts then."""
    _require_approver(actor, organisation)
    if received_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({"received_at": _("An order cannot have been received in the future.")})
    if post is not None and post.organisation_id != organisation.pk:
        raise ValidationError({"post": _("Choose a post of this organisation.")})
    if post is None and not content.strip():
        raise ValidationError({"content": _("Say what must come down, or choose the post.")})
    order = RemovalOrder.objects.create(
        organisation=organisation,
        board=board.strip(),
        reference=reference.strip(),
        received_at=received_at,
        post=post,
        content=content.strip(),
        created_by=actor,
    )
    audit.record(
        "removal_order.recorded",
        actor=actor,
        organisation=organisation,
        obj=order,
        details={
            "board": order.board,
            "reference": order.reference,
            "received_at": order.received_at,
            "deadline": order.deadline,
            "post": order.post_id,
            "content": order.content,
        },
        request=request,
    )
    return order


def _evidence_mime(file: UploadedFile) -> str:
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    mime = sniff_mime(head)
    return mime if mime.startswith("image/") else ""


@transaction.atomic
def add_evidence(
    order: RemovalOrder, *, actor: Person, file: UploadedFile, description: str, request=None
) -> RemovalEvidence:
    """Add a PDF or an image to the order's evidence pack."""
    _require_approver(actor, order.organisation)
    if not description.strip():
        raise ValidationError({"description": _("Say what the file shows.")})
    mime = _evidence_mime(file)
    if not mime:
        raise ValidationError({"file": _("Upload a PDF or an image (JPEG, PNG, GIF or WebP).")})
    if file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    with storing_files():
        evidence = RemovalEvidence.objects.create(
            order=order,
            file=file,
            description=description.strip(),
            mime=mime,
            size=file.size,
            uploaded_by=actor,
        )
    audit.record(
        "removal_order.evidence_added",
        actor=actor,
        organisation=order.organisation,
        obj=order,
        details={"file": evidence.file.name, "description": evidence.description, "mime": mime},
        request=request,
    )
    return evidence


@transaction.atomic
def mark_complied(order: RemovalOrder, *, actor: Person, note: str, request=None) -> RemovalOrder:
    """Record that the order was complied with, and how; whether in time is kept too."""
    _require_approver(actor, order.organisation)
    if not note.strip():
        raise ValidationError({"note": _("Say what was removed, where and when: it answers the board.")})
    # The conditional update settles two people marking it at once: one wins.
    now = timezone.now()
    claimed = RemovalOrder.objects.filter(pk=order.pk, complied_at__isnull=True).update(
        complied_at=now, complied_by=actor, compliance_note=note.strip()
    )
    if not claimed:
        raise ValidationError(_("This order is already marked as complied with."))
    order.refresh_from_db()
    audit.record(
        "removal_order.complied",
        actor=actor,
        organisation=order.organisation,
        obj=order,
        details={"note": order.compliance_note, "deadline": order.deadline, "late": order.complied_late},
        request=request,
    )
    return order
