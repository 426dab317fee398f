"""What people do in the inbox: triage, notes with @mentions, replies through the connector.

Every change is audited. Readers see every conversation, contributors only those of their
departments, editors and above act (the views check it; the services check it again).
"""

from __future__ import annotations

import inspect
import uuid
from dataclasses import dataclass

import regex
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Department, Membership, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.archive import capture as archive
from pregonero.audit import services as audit
from pregonero.channels.connectors.base import ConnectorError, OutgoingPart, PublishResult
from pregonero.inbox import notice, notify
from pregonero.inbox.models import (
    FINISHED_STATES,
    Conversation,
    Direction,
    InboxSettings,
    Kind,
    Message,
    Note,
    PendingReply,
    ResponseTarget,
    RoutingDecision,
    RoutingRule,
    State,
    default_approval_roles,
)
from pregonero.inbox.targets import targets_by_kind
from pregonero.text.personal_data import find_personal_data

ACTING_ROLE = Role.EDITOR


def visible_conversations(person: Person, organisation, role: Role) -> QuerySet[Conversation]:
    """Conversations ``person`` may see: all for readers and editors up, their departments' only
    for contributors (whose work is department-bound)."""
    queryset = Conversation.objects.filter(organisation=organisation)
    if role == Role.CONTRIBUTOR:
        departments = Department.objects.filter(
            memberships__person=person, memberships__organisation=organisation
        )
        queryset = queryset.filter(department__in=departments)
    return queryset


def _require_acting(actor: Person, organisation) -> None:
    role = effective_role(actor, organisation)
    if role is None or not role.at_least(ACTING_ROLE):
        raise PermissionDenied


def members(organisation) -> QuerySet[Person]:
    return Person.objects.filter(memberships__organisation=organisation, is_active=True).order_by("full_name")


def routing_text(conversation: Conversation) -> str:
    """What the classifier learns from: the citizen's messages, as they read now."""
    texts = conversation.messages.filter(direction=Direction.IN).values_list("text", flat=True)
    return "\n".join(texts)


@transaction.atomic
def triage(
    conversation: Conversation,
    *,
    actor: Person,
    state: str,
    priority: int,
    department: Department | None,
    assignee: Person | None,
    tags: list[str],
    request=None,
) -> list[str]:
    """Set state, priority, department, assignee and tags; returns the names of what changed.

    Sending a conversation to a department is a routing decision the classifier learns from.
    """
    organisation = conversation.organisation
    _require_acting(actor, organisation)
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("Choose a department of this organisation.")})
    if (
        assignee is not None
        and not Membership.objects.filter(person=assignee, organisation=organisation).exists()
    ):
        raise ValidationError({"assignee": _("Choose a member of this organisation.")})
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    before = _snapshot(conversation)
    conversation.state = state
    conversation.priority = priority
    conversation.department = department
    conversation.assignee = assignee
    conversation.tags = sorted({tag.strip()[:40] for tag in tags if tag.strip()})
    after = _snapshot(conversation)
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return []
    conversation.save()
    if "department" in changed and department is not None:
        RoutingDecision.objects.create(
            organisation=organisation,
            conversation=conversation,
            department=department,
            text=routing_text(conversation),
            decided_by=actor,
        )
    audit.record(
        "inbox.conversation_triaged",
        actor=actor,
        organisation=organisation,
        obj=conversation,
        changes=audit.diff(before, after),
        request=request,
    )
    if "assignee" in changed and assignee is not None and assignee != actor:
        transaction.on_commit(lambda: notify.assigned(conversation.pk, assignee.pk))
    return changed


def _snapshot(conversation: Conversation) -> dict:
    return {
        "state": conversation.state,
        "priority": conversation.priority,
        "department": conversation.department_id,
        "assignee": conversation.assignee_id,
        "tags": list(conversation.tags),
    }


_MENTION = regex.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def mentioned_people(organisation, text: str) -> list[Person]:
    """Colleagues named in a note as ``@ana`` (the e-mail's local part) or ``@ana@vilanova.example``."""
    wanted = {name.lower().rstrip(".") for name in _MENTION.findall(text)}
    if not wanted:
        return []
    found = []
    for person in members(organisation):
        email = person.email.lower()
        if email in wanted or email.split("@")[0] in wanted:
            found.append(person)
    return found


@transaction.atomic
def add_note(conversation: Conversation, *, actor: Person, text: str, request=None) -> Note:
    """An internal note; colleagues @mentioned in it get an e-mail with the link."""
    organisation = conversation.organisation
    _require_acting(actor, organisation)
    note = Note.objects.create(conversation=conversation, author=actor, text=text.strip())
    people = [person for person in mentioned_people(organisation, text) if person != actor]
    note.mentioned.set(people)
    audit.record(
        "inbox.note_added",
        actor=actor,
        organisation=organisation,
        obj=conversation,
        details={"mentioned": [person.email for person in people]},
        request=request,
    )
    transaction.on_commit(lambda: notify.mentioned(note.pk))
    return note


class ReplyBlocked(ValidationError):
    """The reply exposes personal data (DATA-1) and nobody gave a reason to send it anyway."""


@dataclass(frozen=True)
class ReplyAbility:
    possible: bool
    why_not: str = ""


CHAT, COMMENT = "chat", "comment"


def _reply_style(connector) -> str | None:
    """How the connector's own ``reply`` answers, if it has one: ``reply(conversation, text,
    in_reply_to)`` answers in the person's chat (Telegram), which can answer a private message;
    ``reply(object_id, text)`` answers a post or comment in public (Facebook, Instagram)."""
    method = getattr(connector, "reply", None)
    if not callable(method):
        return None
    return CHAT if "in_reply_to" in inspect.signature(method).parameters else COMMENT


def reply_ability(conversation: Conversation) -> ReplyAbility:
    """Whether the channel's connector can answer this conversation, and if not, why."""
    try:
        connector = conversation.channel.get_connector()
    except (LookupError, ImportError):
        return ReplyAbility(False, _("This channel's network is not installed."))
    if not conversation.channel.is_active:
        return ReplyAbility(False, _("This channel is switched off."))
    style = _reply_style(connector)
    if style == CHAT:
        return ReplyAbility(True)
    if conversation.kind == Kind.PRIVATE:
        # Publishing an answer to a private message could make it public: only a connector
        # that answers in the person's chat is used for private conversations.
        return ReplyAbility(
            False,
            _("The %(network)s connector cannot answer private messages yet: answer on the network itself.")
            % {"network": connector.name},
        )
    if style != COMMENT and not connector.capabilities.reply:
        return ReplyAbility(
            False, _("The %(network)s connector cannot reply to messages.") % {"network": connector.name}
        )
    return ReplyAbility(True)


def personal_data_in(text: str) -> list[str]:
    return sorted({item.kind for item in find_personal_data(text)})


def _with_mention(conversation: Conversation, text: str) -> str:
    """A public reply names the citizen so the network tells them (Mastodon, Matrix do)."""
    handle = conversation.citizen_handle
    if conversation.kind == Kind.PRIVATE or not handle.startswith("@") or handle in text:
        return text
    return f"{handle} {text}"


# Contributors may write replies to their departments' conversations; whether those go out
# at once or wait for an editor is the organisation's choice (InboxSettings.approval_roles).
REPLYING_ROLE = Role.CONTRIBUTOR
REVIEWING_ROLE = Role.EDITOR


def approval_roles(organisation) -> set[str]:
    stored = InboxSettings.objects.filter(organisation=organisation).first()
    return set(stored.approval_roles if stored else default_approval_roles())


def needs_approval(role: Role | None, organisation) -> bool:
    return role is not None and role.value in approval_roles(organisation)


def may_review(role: Role | None, organisation) -> bool:
    """Editors and above whose own replies need no approval may approve others' replies."""
    return role is not None and role.at_least(REVIEWING_ROLE) and not needs_approval(role, organisation)


def require_replying(actor: Person, conversation: Conversation) -> Role:
    """The actor's role if they may write a reply on ``conversation`` (sent or for approval)."""
    organisation = conversation.organisation
    role = effective_role(actor, organisation)
    if role is None or not role.at_least(REPLYING_ROLE):
        raise PermissionDenied
    if not visible_conversations(actor, organisation, role).filter(pk=conversation.pk).exists():
        raise PermissionDenied
    return role


def check_reply(conversation: Conversation, text: str, override_reason: str) -> tuple[str, list[str]]:
    """The reply's text stripped and the kinds of personal data in it, or ``ValidationError``:
    empty, a channel that cannot answer, or personal data without a reason (DATA-1)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the reply.")})
    ability = reply_ability(conversation)
    if not ability.possible:
        raise ValidationError({"text": ability.why_not})
    found = personal_data_in(text)
    if found and not override_reason.strip():
        raise ReplyBlocked(
            {
                "text": _(
                    "This reply exposes personal data (%(kinds)s). Remove it, continue in a private "
                    "channel, or give a reason to send it anyway."
                )
                % {"kinds": ", ".join(found)}
            }
        )
    return text, found


def reply(
    conversation: Conversation,
    *,
    actor: Person,
    text: str,
    language: str,
    override_reason: str = "",
    request=None,
    approving: PendingReply | None = None,
) -> Message:
    """Send ``text`` through the channel's connector as an answer to the citizen's last message.

    A reply that contains personal data is refused (DATA-1) unless ``override_reason`` says
    why it must go; the override is audited. The first reply in a private chat carries the
    data-protection notice (DATA-4). The clock stops at the first answer. Someone whose replies
    need approval cannot send; an approver sends theirs with ``approving`` (see
    :mod:`pregonero.inbox.approval`), and the message records its author.
    """
    organisation = conversation.organisation
    if approving is None:
        role = require_replying(actor, conversation)
        if needs_approval(role, organisation):
            raise PermissionDenied
    elif not may_review(effective_role(actor, organisation), organisation):
        raise PermissionDenied
    text, found = check_reply(conversation, text, override_reason)
    last = (
        conversation.messages.filter(direction=Direction.IN, deleted=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    target = last.remote_id if last else (conversation.post_remote_id or None)
    outgoing = _with_mention(conversation, text)
    carries_notice = notice.needs_notice(conversation)
    if carries_notice:
        outgoing = notice.with_notice(outgoing, notice.notice_text(organisation, language))
    try:
        result = _send(conversation, last, target, outgoing, language)
    except ConnectorError as error:
        audit.record(
            "inbox.reply_failed",
            actor=actor,
            organisation=organisation,
            obj=conversation,
            outcome="failure",
            details={"error": str(error)},
            request=request,
        )
        raise ValidationError(
            {"text": _("The network refused the reply: %(error)s") % {"error": error}}
        ) from error
    return _record_reply(
        conversation,
        actor,
        outgoing,
        language,
        result,
        target,
        found,
        override_reason,
        request,
        author=approving.author if approving else actor,
        carried_notice=carries_notice,
    )


def _send(conversation: Conversation, last: Message | None, target: str | None, text: str, language: str):
    """Through the connector's own ``reply`` when it has one, else as a published reply."""
    connector = conversation.channel.get_connector()
    style = _reply_style(connector)
    if style == CHAT:
        chat = (last.raw.get("conversation") if last else "") or conversation.citizen_id
        return PublishResult(remote_id=connector.reply(chat, text, in_reply_to=target))
    if style == COMMENT:
        return PublishResult(remote_id=connector.reply(target, text))
    part = OutgoingPart(
        text=text,
        language=language,
        index=0,
        total=1,
        idempotency_key=f"inbox-{conversation.pk}-{uuid.uuid4().hex}",
        reply_to=target,
    )
    return connector.publish(part)


@transaction.atomic
def _record_reply(
    conversation,
    actor,
    text,
    language,
    result,
    target,
    found,
    override_reason,
    request,
    *,
    author,
    carried_notice,
) -> Message:
    now = timezone.now()
    # update_or_create: a network that echoes our own message may have had it fetched already.
    message, _created = Message.objects.update_or_create(
        channel=conversation.channel,
        remote_id=result.remote_id,
        defaults={
            "conversation": conversation,
            "direction": Direction.OUT,
            "in_reply_to": target or "",
            "author_handle": conversation.channel.config.get("account", ""),
            "sent_by": author,
            "text": text,
            "url": result.url[:500],
            "language": language,
            "created_at": now,
            "received_at": now,
            "personal_data": found,
            "carried_notice": carried_notice,
        },
    )
    archive.message_sent(message)
    stored = Conversation.objects.select_for_update().get(pk=conversation.pk)
    stored.first_response_at = stored.first_response_at or now
    stored.due_at = None
    stored.last_message_at = now
    if stored.state not in FINISHED_STATES:
        stored.state = State.WAITING_CITIZEN
    stored.save(update_fields=["first_response_at", "due_at", "last_message_at", "state"])
    audit.record(
        "inbox.reply_sent",
        actor=actor,
        organisation=conversation.organisation,
        obj=conversation,
        details={
            "remote_id": result.remote_id,
            "language": language,
            "personal_data": found,
            "override_reason": override_reason.strip(),
            "data_protection_notice": carried_notice,
            "author": author.email if author else "",
        },
        request=request,
    )
    return message


def overdue_first(queryset: QuerySet[Conversation], now=None) -> QuerySet[Conversation]:
    """Overdue conversations on top (the most overdue first), then by the latest message."""
    now = now or timezone.now()
    overdue = Q(due_at__lt=now) & ~Q(state__in=FINISHED_STATES)
    return queryset.annotate(
        overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-overdue", "due_at", "-last_message_at")


def _require_admin(actor: Person, organisation) -> None:
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied


@transaction.atomic
def save_working_hours(
    organisation, *, actor: Person, opens_at, closes_at, working_days, request=None
) -> None:
    _require_admin(actor, organisation)
    stored, _created = InboxSettings.objects.get_or_create(organisation=organisation)
    before = {
        "opens_at": stored.opens_at,
        "closes_at": stored.closes_at,
        "working_days": sorted(stored.days()),
    }
    stored.opens_at, stored.closes_at, stored.working_days = opens_at, closes_at, sorted(working_days)
    stored.save()
    after = {"opens_at": opens_at, "closes_at": closes_at, "working_days": sorted(working_days)}
    audit.record(
        "inbox.working_hours_changed",
        actor=actor,
        organisation=organisation,
        changes=audit.diff(before, after),
        request=request,
    )


@transaction.atomic
def save_targets(organisation, *, actor: Person, hours: dict, request=None) -> None:
    _require_admin(actor, organisation)
    before = {kind: str(value) for kind, value in targets_by_kind(organisation).items()}
    for kind, value in hours.items():
        ResponseTarget.objects.update_or_create(
            organisation=organisation, kind=kind, defaults={"hours": value}
        )
    after = {kind: str(value) for kind, value in targets_by_kind(organisation).items()}
    audit.record(
        "inbox.targets_changed",
        actor=actor,
        organisation=organisation,
        changes=audit.diff(before, after),
        request=request,
    )


@transaction.atomic
def add_rule(organisation, *, actor: Person, rule: RoutingRule, request=None) -> RoutingRule:
    _require_admin(actor, organisation)
    rule.organisation = organisation
    rule.save()
    audit.record(
        "inbox.routing_rule_added",
        actor=actor,
        organisation=organisation,
        obj=rule,
        details={
            "department": rule.department.name,
            "keywords": rule.keywords,
            "language": rule.language,
            "channel": rule.channel.name if rule.channel else "",
        },
        request=request,
    )
    return rule


@transaction.atomic
def remove_rule(rule: RoutingRule, *, actor: Person, request=None) -> None:
    _require_admin(actor, rule.organisation)
    audit.record(
        "inbox.routing_rule_removed",
        actor=actor,
        organisation=rule.organisation,
        obj=rule,
        details={"department": rule.department.name, "keywords": rule.keywords},
        request=request,
    )
    rule.delete()
