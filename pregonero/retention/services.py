"""Retention runs, legal holds and data-subject requests; every step audited (DATA-5)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.archive import services as archive
from pregonero.archive.models import ArchiveRecord, Direction
from pregonero.archive.models import Kind as RecordKind
from pregonero.audit import services as audit
from pregonero.inbox.models import FINISHED_STATES, Conversation, Message, MessageRevision, Note
from pregonero.inbox.models import Kind as ConversationKind
from pregonero.retention.models import (
    DEFAULT_BLOCK_DAYS,
    Category,
    DataSubjectRequest,
    LegalHold,
    RequestKind,
    RequestState,
    RetentionPolicy,
)

MESSAGE_KINDS = (
    RecordKind.MESSAGE_RECEIVED,
    RecordKind.MESSAGE_SENT,
    RecordKind.MESSAGE_EDITED,
    RecordKind.MESSAGE_DELETED,
)
CONVERSATION_KINDS = {
    Category.PRIVATE: (ConversationKind.PRIVATE,),
    Category.PUBLIC: (ConversationKind.THREAD, ConversationKind.MENTION),
}
RETENTION_REASON = "retention"
ERASURE_REASON = "erasure"
ERASED = "—"


def require_keeper(person: Person, organisation: Organisation) -> None:
    if not archive.can_keep(person, organisation):
        raise PermissionDenied


# --- legal holds -----------------------------------------------------------------------------


def _identifier_q(identifier: str) -> Q:
    """Records by or about one citizen: their handle as author, or their e-mail or phone in the text."""
    identifier = identifier.strip()
    condition = Q(author__icontains=identifier) | Q(text__icontains=identifier)
    digits = re.sub(r"\D", "", identifier)
    if len(digits) >= 9 and not re.search(r"[A-Za-z@]", identifier):
        # A phone is written in many ways: 600 123 456, 600-12-34-56, +34600123456.
        spaced = r"\D{0,3}".join(digits[-9:])
        condition |= Q(text__iregex=spaced)
    return condition


def _conversations_of(organisation: Organisation, identifier: str) -> QuerySet[Conversation]:
    identifier = identifier.strip().lstrip("@")
    return Conversation.objects.filter(organisation=organisation).filter(
        Q(citizen_handle__iexact=identifier)
        | Q(citizen_handle__iexact=f"@{identifier}")
        | Q(citizen_id=identifier)
    )


def matching(organisation: Organisation, identifiers: list[str]) -> QuerySet[ArchiveRecord]:
    """Every record by or about any of ``identifiers``, blocked ones included."""
    condition = Q(pk__in=[])
    for identifier in identifiers:
        if not identifier.strip():
            continue
        conversations = _conversations_of(organisation, identifier).values("pk")
        condition |= _identifier_q(identifier) | Q(conversation_ref__in=conversations)
    return archive.visible_records(organisation, include_blocked=True).filter(condition)


def _held(organisation: Organisation) -> Q | None:
    """Records under an active hold, or None when no hold is active; ``Q(pk__isnull=False)`` for all."""
    holds = list(LegalHold.objects.filter(organisation=organisation, released_at__isnull=True))
    if not holds:
        return None
    condition = Q(pk__in=[])
    for hold in holds:
        if hold.everything:
            return Q(pk__isnull=False)
        if hold.conversations:
            condition |= Q(conversation_ref__in=[int(pk) for pk in hold.conversations])
        if hold.citizen:
            condition |= Q(pk__in=matching(organisation, [hold.citizen]).values("pk"))
    return condition


def not_held(records: QuerySet[ArchiveRecord], organisation: Organisation) -> QuerySet[ArchiveRecord]:
    held = _held(organisation)
    return records if held is None else records.exclude(held)


def place_hold(organisation: Organisation, *, actor: Person, hold: LegalHold, request=None) -> LegalHold:
    require_keeper(actor, organisation)
    if not (hold.everything or hold.citizen.strip() or hold.conversations):
        raise ValidationError(_("Say what the hold covers: everything, a citizen or some conversations."))
    with transaction.atomic():
        hold.organisation = organisation
        hold.created_by = actor
        hold.save()
        audit.record(
            "retention.hold_placed",
            actor=actor,
            organisation=organisation,
            obj=hold,
            details={
                "everything": hold.everything,
                "citizen": hold.citizen,
                "conversations": hold.conversations,
            },
            request=request,
        )
    return hold


def release_hold(hold: LegalHold, *, actor: Person, request=None) -> None:
    require_keeper(actor, hold.organisation)
    with transaction.atomic():
        changed = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
            released_at=timezone.now(), released_by=actor
        )
        if changed:
            audit.record(
                "retention.hold_released",
                actor=actor,
                organisation=hold.organisation,
                obj=hold,
                request=request,
            )


# --- retention runs ----------------------------------------------------------------------------


@dataclass
class RunReport:
    blocked: int = 0
    destroyed: int = 0
    held: int = 0
    conversations_erased: int = 0
    organisations: list[int] = field(default_factory=list)


def erase_working_copy(conversation_ids) -> int:
    """Blank the inbox's copy of conversations whose archive records are blocked: from then on
    the blocked archive copy is the only one, as DATA-5 requires."""
    conversations = Conversation.objects.filter(pk__in=list(conversation_ids)).exclude(citizen_name=ERASED)
    ids = list(conversations.values_list("pk", flat=True))
    if not ids:
        return 0
    Message.objects.filter(conversation_id__in=ids).update(
        text="", raw={}, author_name="", author_handle=ERASED, url="", personal_data=[], sentiment_words=[]
    )
    MessageRevision.objects.filter(message__conversation_id__in=ids).update(text="")
    Note.objects.filter(conversation_id__in=ids).update(text=ERASED)
    Conversation.objects.filter(pk__in=ids).update(citizen_handle=ERASED, citizen_name=ERASED, citizen_id="")
    return len(ids)


def _policy_records(policy: RetentionPolicy) -> QuerySet[ArchiveRecord]:
    records = ArchiveRecord.objects.filter(organisation_id=policy.organisation_id, kind__in=MESSAGE_KINDS)
    if policy.category == Category.PUBLIC:
        # Our own public answers are the organisation's public record (REC-2): kept.
        records = records.filter(direction=Direction.IN)
    return records


def _expired_conversations(policy: RetentionPolicy, now: datetime) -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        organisation_id=policy.organisation_id,
        kind__in=CONVERSATION_KINDS[policy.category],
        state__in=FINISHED_STATES,
        last_message_at__lt=now - timedelta(days=policy.keep_days),
    )


def run(now: datetime | None = None, organisation: Organisation | None = None) -> RunReport:
    """Block what expired, destroy what has been blocked long enough; holds suspend both."""
    now = now or timezone.now()
    report = RunReport()
    policies = RetentionPolicy.objects.filter(active=True).select_related("organisation")
    if organisation is not None:
        policies = policies.filter(organisation=organisation)
    for policy in policies:
        _apply(policy, now, report)
    # Erasure requests block at once; their records are destroyed when the blocking ends too.
    erasures = DataSubjectRequest.objects.filter(kind=RequestKind.ERASURE, blocked_at__isnull=False)
    if organisation is not None:
        erasures = erasures.filter(organisation=organisation)
    for request in erasures.select_related("organisation"):
        _destroy_due(
            request.organisation, _erasure_records(request), request_block_days(request), now, report
        )
    return report


def _apply(policy: RetentionPolicy, now: datetime, report: RunReport) -> None:
    organisation = policy.organisation
    expired = _expired_conversations(policy, now)
    candidates = _policy_records(policy).filter(
        conversation_ref__in=expired.values("pk"), blocked_at__isnull=True
    )
    eligible = not_held(candidates, organisation)
    report.held += candidates.count() - eligible.count()
    reason = f"{RETENTION_REASON}:{policy.category}"
    with transaction.atomic():
        ids = list(eligible.values_list("pk", flat=True))
        if ids:
            ArchiveRecord.objects.filter(pk__in=ids).update(blocked_at=now, blocked_reason=reason)
            conversations = set(
                ArchiveRecord.objects.filter(pk__in=ids).values_list("conversation_ref", flat=True)
            )
            report.conversations_erased += erase_working_copy(conversations - {None})
            report.blocked += len(ids)
            audit.record(
                "retention.blocked",
                organisation=organisation,
                details={"policy": policy.category, "records": len(ids), "keep_days": policy.keep_days},
            )
    blocked = _policy_records(policy).filter(blocked_reason=reason)
    _destroy_due(organisation, blocked, policy.block_days, now, report)
    if organisation.pk not in report.organisations:
        report.organisations.append(organisation.pk)


def _destroy_due(
    organisation, records: QuerySet[ArchiveRecord], block_days: int, now, report: RunReport
) -> None:
    due = records.filter(destroyed_at__isnull=True, blocked_at__lt=now - timedelta(days=block_days))
    eligible = not_held(due, organisation)
    report.held += due.count() - eligible.count()
    destroyed = 0
    for record in eligible.order_by("seq").iterator(chunk_size=500):
        if archive.destroy(record, reason=record.blocked_reason or RETENTION_REASON) is not None:
            destroyed += 1
    report.destroyed += destroyed


# --- data-subject requests ---------------------------------------------------------------------


def open_request(organisation: Organisation, *, actor: Person, request_row: DataSubjectRequest, request=None):
    require_keeper(actor, organisation)
    identifiers = [value.strip() for value in request_row.identifiers if value.strip()]
    if not identifiers:
        raise ValidationError(_("Give at least one handle, e-mail address or phone number of the person."))
    with transaction.atomic():
        request_row.organisation = organisation
        request_row.created_by = actor
        request_row.identifiers = identifiers
        request_row.save()
        audit.record(
            "retention.request_opened",
            actor=actor,
            organisation=organisation,
            obj=request_row,
            details={
                "kind": request_row.kind,
                "reference": request_row.reference,
                "identifiers": identifiers,
            },
            request=request,
        )
    return request_row


def found_for(request_row: DataSubjectRequest) -> QuerySet[ArchiveRecord]:
    """What the archive holds about the person; our posts are excluded (they are not about them)."""
    records = matching(request_row.organisation, request_row.identifiers)
    return records.filter(kind__in=MESSAGE_KINDS)


def _erasure_records(request_row: DataSubjectRequest) -> QuerySet[ArchiveRecord]:
    return ArchiveRecord.objects.filter(
        organisation=request_row.organisation, blocked_reason=f"{ERASURE_REASON}:{request_row.pk}"
    )


def request_block_days(request_row: DataSubjectRequest) -> int:
    policy = RetentionPolicy.objects.filter(
        organisation=request_row.organisation, category=Category.PRIVATE
    ).first()
    return policy.block_days if policy else DEFAULT_BLOCK_DAYS


def erase(request_row: DataSubjectRequest, *, actor: Person, request=None) -> int:
    """Answer an erasure request: block everything found and erase the inbox's copy (DATA-5);
    the records are destroyed by the retention run when the blocking period ends."""
    require_keeper(actor, request_row.organisation)
    if request_row.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request erases data."))
    now = timezone.now()
    with transaction.atomic():
        records = found_for(request_row).filter(destroyed_at__isnull=True)
        held = _held(request_row.organisation)
        if held is not None and records.filter(held).exists():
            raise ValidationError(
                _(
                    "Some of these records are under a legal hold; "
                    "release it or answer the request without erasure."
                )
            )
        ids = list(records.values_list("pk", flat=True))
        ArchiveRecord.objects.filter(pk__in=ids).update(
            blocked_at=now, blocked_reason=f"{ERASURE_REASON}:{request_row.pk}"
        )
        conversations = set(
            ArchiveRecord.objects.filter(pk__in=ids).values_list("conversation_ref", flat=True)
        )
        erased = erase_working_copy(conversations - {None})
        request_row.blocked_at = now
        request_row.state = RequestState.ANSWERED
        request_row.answered_at = now
        request_row.save(update_fields=["blocked_at", "state", "answered_at"])
        audit.record(
            "retention.request_erased",
            actor=actor,
            organisation=request_row.organisation,
            obj=request_row,
            details={"records_blocked": len(ids), "conversations_erased": erased},
            request=request,
        )
    return len(ids)


def close(request_row: DataSubjectRequest, *, actor: Person, state: str, request=None) -> None:
    require_keeper(actor, request_row.organisation)
    if state not in (RequestState.ANSWERED, RequestState.REJECTED):
        raise ValidationError(_("Choose answered or rejected."))
    with transaction.atomic():
        request_row.state = state
        request_row.answered_at = timezone.now()
        request_row.save(update_fields=["state", "answered_at"])
        audit.record(
            "retention.request_closed",
            actor=actor,
            organisation=request_row.organisation,
            obj=request_row,
            details={"state": state},
            request=request,
        )


def save_policies(organisation: Organisation, *, actor: Person, data: dict, request=None) -> None:
    """``data`` as PolicyForm cleans it: ``<category>_keep`` (None switches off) and ``_block``."""
    require_keeper(actor, organisation)
    with transaction.atomic():
        before = {
            p.category: (p.keep_days if p.active else None, p.block_days)
            for p in organisation.retention_policies.all()
        }
        for category in Category.values:
            keep, block = data.get(f"{category}_keep"), data.get(f"{category}_block") or 0
            policy = RetentionPolicy.objects.filter(organisation=organisation, category=category).first()
            if keep is None:
                if policy is not None:
                    policy.active = False
                    policy.save(update_fields=["active"])
                continue
            RetentionPolicy.objects.update_or_create(
                organisation=organisation,
                category=category,
                defaults={"keep_days": keep, "block_days": block, "active": True},
            )
        after = {
            p.category: (p.keep_days if p.active else None, p.block_days)
            for p in organisation.retention_policies.all()
        }
        audit.record(
            "retention.policies_changed",
            actor=actor,
            organisation=organisation,
            changes=audit.diff(before, after),
            request=request,
        )
