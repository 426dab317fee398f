"""Answering together: replies that wait for approval, who else is writing, and a reply sent on
a conversation that changed meanwhile.

``submit`` is what the reply form calls: it refuses to send when the conversation got a new
message (or someone else's reply) since the form was shown, then either sends through
:func:`pregonero.inbox.services.reply` or, for roles whose replies need approval, keeps the
reply as pending. An editor approves it (sent exactly as any reply, DATA-1 checked again) or
returns it with a comment. Everything is audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.inbox import notify, services
from pregonero.inbox.models import (
    Conversation,
    InboxSettings,
    Message,
    PendingReply,
    PendingState,
    ReplyPresence,
)

# How long "Ana is writing a reply" lasts without a refresh (the form refreshes every 15 s).
FRESH_FOR = timedelta(seconds=40)


class ConversationChanged(ValidationError):
    """New messages arrived (or a colleague replied) since the reply form was shown."""

    def __init__(self, newer: list[Message], latest: int):
        super().__init__(
            _(
                "The conversation changed while you were writing. Your reply was not sent: "
                "read what is new and send it again."
            )
        )
        self.newer = newer
        self.latest = latest


def latest_message_id(conversation: Conversation) -> int:
    """What the reply form remembers as "seen": the newest message's id (0 when none)."""
    return conversation.messages.aggregate(last=Max("pk"))["last"] or 0


def changes_since(conversation: Conversation, seen: int, actor: Person) -> list[Message]:
    """Messages newer than ``seen``, except the actor's own replies."""
    return list(conversation.messages.filter(pk__gt=seen).exclude(sent_by=actor).select_related("sent_by"))


def submit(
    conversation: Conversation,
    *,
    actor: Person,
    text: str,
    language: str,
    override_reason: str = "",
    seen: int | None = None,
    request=None,
) -> Message | PendingReply:
    """Send the reply, or keep it for approval when the actor's role needs it.

    With ``seen`` (the newest message id the person had on screen), a conversation that changed
    since raises :class:`ConversationChanged` and nothing is sent.
    """
    role = services.require_replying(actor, conversation)
    if seen is not None:
        newer = changes_since(conversation, seen, actor)
        if newer:
            raise ConversationChanged(newer, latest_message_id(conversation))
    organisation = conversation.organisation
    if not services.needs_approval(role, organisation):
        reply = services.reply(
            conversation,
            actor=actor,
            text=text,
            language=language,
            override_reason=override_reason,
            request=request,
        )
        ReplyPresence.objects.filter(conversation=conversation, person=actor).delete()
        return reply
    text, found = services.check_reply(conversation, text, override_reason)
    with transaction.atomic():
        pending = PendingReply.objects.create(
            conversation=conversation,
            author=actor,
            text=text,
            language=language,
            override_reason=override_reason.strip(),
        )
        ReplyPresence.objects.filter(conversation=conversation, person=actor).delete()
        audit.record(
            "inbox.reply_submitted",
            actor=actor,
            organisation=organisation,
            obj=conversation,
            details={"pending_reply": pending.pk, "language": language, "personal_data": found},
            request=request,
        )
        transaction.on_commit(lambda: notify.reply_waiting(pending.pk))
    return pending


def pending_in(organisation) -> QuerySet[PendingReply]:
    return PendingReply.objects.filter(
        conversation__organisation=organisation, state=PendingState.PENDING
    ).select_related("conversation", "conversation__channel", "author")


def _require_reviewing(actor: Person, organisation) -> None:
    if not services.may_review(effective_role(actor, organisation), organisation):
        raise PermissionDenied


def approve(pending: PendingReply, *, actor: Person, override_reason: str = "", request=None) -> Message:
    """Send a pending reply through the connector as :func:`services.reply` does.

    The personal-data guard (DATA-1) applies again: a reason given now is added to the
    author's. Two approvers at once send it once: the first claims it.
    """
    conversation = pending.conversation
    organisation = conversation.organisation
    _require_reviewing(actor, organisation)
    if pending.author_id == actor.pk:
        raise PermissionDenied
    reason = override_reason.strip() or pending.override_reason
    # Check before claiming, so a blocked reply stays pending for a reason or a return.
    services.check_reply(conversation, pending.text, reason)
    now = timezone.now()
    claimed = PendingReply.objects.filter(
        pk=pending.pk, state=PendingState.PENDING, reviewed_at__isnull=True
    ).update(reviewed_by=actor, reviewed_at=now)
    if not claimed:
        raise ValidationError(_("Someone else has already handled this reply."))
    try:
        message = services.reply(
            conversation,
            actor=actor,
            text=pending.text,
            language=pending.language,
            override_reason=reason,
            request=request,
            approving=pending,
        )
    except Exception:
        PendingReply.objects.filter(pk=pending.pk).update(reviewed_by=None, reviewed_at=None)
        raise
    PendingReply.objects.filter(pk=pending.pk).update(state=PendingState.SENT, message=message)
    audit.record(
        "inbox.reply_approved",
        actor=actor,
        organisation=organisation,
        obj=conversation,
        details={
            "pending_reply": pending.pk,
            "author": pending.author.email if pending.author else "",
            "remote_id": message.remote_id,
        },
        request=request,
    )
    return message


@transaction.atomic
def send_back(pending: PendingReply, *, actor: Person, comment: str, request=None) -> None:
    """Return a pending reply to its author with a comment; nothing is sent."""
    conversation = pending.conversation
    organisation = conversation.organisation
    _require_reviewing(actor, organisation)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    claimed = PendingReply.objects.filter(
        pk=pending.pk, state=PendingState.PENDING, reviewed_at__isnull=True
    ).update(
        state=PendingState.RETURNED, reviewed_by=actor, reviewed_at=timezone.now(), review_comment=comment
    )
    if not claimed:
        raise ValidationError(_("Someone else has already handled this reply."))
    transaction.on_commit(lambda: notify.reply_returned(pending.pk))
    audit.record(
        "inbox.reply_returned",
        actor=actor,
        organisation=organisation,
        obj=conversation,
        details={
            "pending_reply": pending.pk,
            "author": pending.author.email if pending.author else "",
            "comment": comment,
        },
        request=request,
    )


def mark_writing(conversation: Conversation, person: Person) -> None:
    """``person`` is writing a reply on ``conversation`` now."""
    ReplyPresence.objects.update_or_create(
        conversation=conversation, person=person, defaults={"seen_at": timezone.now()}
    )


def others_writing(conversation: Conversation, person: Person) -> list[Person]:
    """Colleagues who were writing a reply on ``conversation`` within :data:`FRESH_FOR`."""
    since = timezone.now() - FRESH_FOR
    return [
        presence.person
        for presence in ReplyPresence.objects.filter(conversation=conversation, seen_at__gte=since)
        .exclude(person=person)
        .select_related("person")
        .order_by("seen_at")
    ]


@transaction.atomic
def save_settings(
    organisation,
    *,
    actor: Person,
    approval_roles: list[str],
    electronic_office_url: str,
    privacy_url: str,
    notices: dict[str, str],
    request=None,
) -> None:
    """Which roles' replies need approval and the DATA-4 notice (admins)."""
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied
    stored, _created = InboxSettings.objects.select_for_update().get_or_create(organisation=organisation)
    fields = ["approval_roles", "electronic_office_url", "privacy_url", "private_notices"]
    before = audit.snapshot(stored, fields)
    stored.approval_roles = sorted(set(approval_roles))
    stored.electronic_office_url = electronic_office_url
    stored.privacy_url = privacy_url
    stored.private_notices = notices
    stored.save(update_fields=fields)
    audit.record(
        "inbox.answering_settings_changed",
        actor=actor,
        organisation=organisation,
        changes=audit.diff(before, audit.snapshot(stored, fields)),
        request=request,
    )
