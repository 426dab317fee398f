"""Moderating citizens' messages accountably (RULES.md MOD-1), and keeping the rules it cites.

The service API other parts of Pregonero use:

- :func:`moderate` hides or deletes a message or blocks its author, citing a rule of the
  organisation's current participation rules, with an optional expiry and notice;
- :func:`reverse` undoes a hide or a block (a new decision in the register);
- :func:`lift_expired` reverses what has reached its expiry (the clock calls it);
- :func:`record_appeal` and :func:`decide_appeal` keep the citizen's appeal and its outcome;
- :func:`on_decision` is called inside the transaction of every decision recorded.

Every decision is a row of the register whatever the network answered: a refusal is recorded
as not carried out, with the network's reason. The inbox message is never changed: the
decision keeps a copy of its text. Every step leaves an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse as url_reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.archive import capture as archive
from pregonero.audit import services as audit
from pregonero.channels.connectors.base import ConnectorError, ModerationResult, ModerationTarget
from pregonero.inbox.models import Direction, Kind, Message
from pregonero.moderation.models import (
    FIRST_ACTIONS,
    REVERSAL,
    Action,
    Appeal,
    AppealOutcome,
    Decision,
    NoticeOutcome,
    NoticeTemplate,
    Outcome,
    Rule,
    RuleBook,
)

MODERATING_ROLE = Role.EDITOR
# Only what can be undone may lift by itself.
EXPIRING_ACTIONS = (Action.HIDE, Action.BLOCK)
NOTICE_PLACEHOLDERS = ("rule", "rule_title", "action", "until", "rules_url")


# The participation rules.


def current_rulebook(organisation: Organisation) -> RuleBook | None:
    return RuleBook.objects.filter(organisation=organisation).order_by("-version").first()


def current_rules(organisation: Organisation) -> QuerySet[Rule]:
    book = current_rulebook(organisation)
    return book.rules.all() if book else Rule.objects.none()


@dataclass(frozen=True)
class RuleDraft:
    code: str
    titles: dict[str, str]
    texts: dict[str, str]


# MOD-1's list, offered as a start; each organisation words and changes its own.
STANDARD_RULES = (
    ("R1", gettext_noop("On topic"), gettext_noop("Comments should be about the subject of the post.")),
    (
        "R2",
        gettext_noop("Respectful"),
        gettext_noop("No insults, threats, harassment or discrimination against anyone."),
    ),
    (
        "R3",
        gettext_noop("No personal data"),
        gettext_noop(
            "Do not publish personal data, yours or anyone else's (identity numbers, phone numbers, "
            "addresses, health details). Write to us privately instead."
        ),
    ),
    (
        "R4",
        gettext_noop("Not deceptive"),
        gettext_noop("No false information presented as fact, no impersonation."),
    ),
    (
        "R5",
        gettext_noop("No copyright infringement"),
        gettext_noop("Do not share content you have no right to share."),
    ),
    ("R6", gettext_noop("No spam"), gettext_noop("No advertising, repeated messages or automated posting.")),
)


def _languages(organisation: Organisation) -> list[str]:
    return list(organisation.official_languages or [organisation.default_language])


def standard_rules(organisation: Organisation) -> list[RuleDraft]:
    """MOD-1's rules in each of the organisation's languages (as far as translated)."""
    drafts = []
    for code, title, text in STANDARD_RULES:
        titles, texts = {}, {}
        for language in _languages(organisation):
            with translation.override(language):
                titles[language], texts[language] = _(title), _(text)
        drafts.append(RuleDraft(code, titles, texts))
    return drafts


def _require(actor: Person | None, organisation: Organisation, minimum: Role) -> None:
    role = effective_role(actor, organisation) if actor is not None else None
    if role is None or not role.at_least(minimum):
        raise PermissionDenied


def _clean_drafts(drafts: list[RuleDraft]) -> list[RuleDraft]:
    codes = [draft.code.strip().upper() for draft in drafts]
    if any(not code for code in codes) or len(set(codes)) != len(codes):
        raise ValidationError({"code": _("Each rule needs its own code.")})
    cleaned = []
    for code, draft in zip(codes, drafts, strict=True):
        titles = {lang: value.strip() for lang, value in draft.titles.items() if value.strip()}
        texts = {lang: value.strip() for lang, value in draft.texts.items() if value.strip()}
        if not titles:
            raise ValidationError({"code": _("Rule %(code)s needs a title.") % {"code": code}})
        cleaned.append(RuleDraft(code, titles, texts))
    return cleaned


@transaction.atomic
def publish_rules(
    organisation: Organisation, *, actor: Person, drafts: list[RuleDraft], change_note: str = "", request=None
) -> RuleBook:
    """Publish ``drafts`` as the next version of the rules; earlier versions stay as they were."""
    _require(actor, organisation, Role.ADMIN)
    drafts = _clean_drafts(drafts)
    if not drafts:
        raise ValidationError({"code": _("Published rules need at least one rule.")})
    # Lock the organisation row so two admins publishing at once get consecutive versions.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    last = RuleBook.objects.filter(organisation=organisation).aggregate(last=Max("version"))["last"] or 0
    book = RuleBook.objects.create(
        organisation=organisation, version=last + 1, published_by=actor, change_note=change_note[:300]
    )
    Rule.objects.bulk_create(
        Rule(rulebook=book, code=draft.code, position=index, titles=draft.titles, texts=draft.texts)
        for index, draft in enumerate(drafts)
    )
    audit.record(
        "moderation.rules_published",
        actor=actor,
        organisation=organisation,
        obj=book,
        details={"version": book.version, "codes": [draft.code for draft in drafts], "note": change_note},
        request=request,
    )
    return book


def _drafts_of(organisation: Organisation) -> list[RuleDraft]:
    return [RuleDraft(rule.code, dict(rule.titles), dict(rule.texts)) for rule in current_rules(organisation)]


def save_rule(organisation: Organisation, *, actor: Person, draft: RuleDraft, request=None) -> RuleBook:
    """Add a rule, or change the one with the same code, as a new version."""
    drafts = _drafts_of(organisation)
    code = draft.code.strip().upper()
    changed = [draft if item.code == code else item for item in drafts]
    if changed == drafts and draft not in drafts:
        changed.append(draft)
    verb = _("changed") if any(item.code == code for item in drafts) else _("added")
    return publish_rules(
        organisation, actor=actor, drafts=changed, change_note=f"{code} {verb}", request=request
    )


def remove_rule(organisation: Organisation, *, actor: Person, code: str, request=None) -> RuleBook:
    drafts = [item for item in _drafts_of(organisation) if item.code != code]
    return publish_rules(
        organisation, actor=actor, drafts=drafts, change_note=f"{code} {_('removed')}", request=request
    )


# Notice templates.


@transaction.atomic
def save_notice_template(
    organisation: Organisation,
    *,
    actor: Person,
    name: str,
    texts: dict[str, str],
    template: NoticeTemplate | None = None,
    request=None,
) -> NoticeTemplate:
    _require(actor, organisation, Role.ADMIN)
    texts = {lang: value.strip() for lang, value in texts.items() if value.strip()}
    if not texts:
        raise ValidationError({"name": _("Write the notice in at least one language.")})
    clash = NoticeTemplate.objects.filter(organisation=organisation, name=name.strip())
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise ValidationError({"name": _("Another notice template has this name.")})
    template = template or NoticeTemplate(organisation=organisation)
    template.name, template.texts = name.strip(), texts
    template.save()
    audit.record(
        "moderation.notice_template_saved",
        actor=actor,
        organisation=organisation,
        obj=template,
        details={"languages": sorted(texts)},
        request=request,
    )
    return template


@transaction.atomic
def remove_notice_template(template: NoticeTemplate, *, actor: Person, request=None) -> None:
    _require(actor, template.organisation, Role.ADMIN)
    audit.record(
        "moderation.notice_template_removed",
        actor=actor,
        organisation=template.organisation,
        obj=template,
        request=request,
    )
    template.delete()


def rules_url(organisation: Organisation, version: int | None = None) -> str:
    if version is None:
        path = url_reverse("participation:rules", args=[organisation.slug])
    else:
        path = url_reverse("participation:version", args=[organisation.slug, version])
    return f"{settings.SITE_URL}{path}"


def render_notice(text: str, *, rule: Rule, action: str, expires_at: datetime | None, language: str) -> str:
    """The notice with its placeholders filled; anything else in braces is left as written."""
    organisation = rule.rulebook.organisation
    with translation.override(language):
        until = (
            formats.date_format(timezone.localtime(expires_at), "SHORT_DATETIME_FORMAT")
            if expires_at
            else _("without an end date")
        )
        values = {
            "rule": rule.code,
            "rule_title": rule.title_in(language, organisation.default_language),
            "action": str(Action(action).label).lower(),
            "until": until,
            "rules_url": rules_url(organisation, rule.rulebook.version),
        }
    for name in NOTICE_PLACEHOLDERS:
        text = text.replace("{" + name + "}", values[name])
    return text


# What a message allows.


def target_of(message: Message) -> ModerationTarget:
    raw = message.raw or {}
    return ModerationTarget(
        remote_id=message.remote_id,
        author_id=str(raw.get("author_id") or message.conversation.citizen_id),
        conversation=str(raw.get("conversation") or ""),
    )


def decisions_on(message: Message) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(message=message)
        .prefetch_related("reversals")
        .select_related("rule__rulebook")
    )


def account_blocked(message: Message) -> Decision | None:
    """The block in effect on the message's author on this channel, if any."""
    author = target_of(message).author_id
    blocks = Decision.objects.filter(
        channel_id=message.channel_id, author_id=author, action=Action.BLOCK, network_outcome=Outcome.DONE
    ).prefetch_related("reversals")
    return next((block for block in blocks if block.in_effect), None)


def in_effect(message: Message) -> list[Decision]:
    """Decisions acting on this message now, and a block of its author."""
    found = [decision for decision in decisions_on(message) if decision.in_effect]
    block = account_blocked(message)
    if block is not None and block not in found:
        found.append(block)
    return found


def allowed_actions(message: Message) -> list[str]:
    """What can be done to this message now: what the network allows, not done already.

    Private messages are not hidden or deleted (nobody else sees them); our own messages are
    not moderated here.
    """
    if message.direction != Direction.IN:
        return []
    try:
        offered = message.channel.get_connector().capabilities.moderation
    except (LookupError, ImportError):
        return []
    current = {decision.action for decision in in_effect(message)}
    allowed = []
    for action in FIRST_ACTIONS:
        if action not in offered or action in current:
            continue
        if action in (Action.HIDE, Action.DELETE) and (
            message.conversation.kind == Kind.PRIVATE or Action.DELETE in current
        ):
            continue
        allowed.append(action)
    return allowed


# Deciding.


def on_decision(decision: Decision) -> None:
    """Called inside the transaction of every decision recorded (first actions, reversals).

    The archive keeps each decision with the message as it was and the rule cited (REC-2).
    """
    archive.moderation(decision)


def _network_call(decision_action: str, connector, target: ModerationTarget, reference: str = ""):
    if decision_action == Action.HIDE:
        return connector.hide_message(target)
    if decision_action == Action.DELETE:
        return connector.delete_message(target)
    if decision_action == Action.BLOCK:
        return connector.block_account(target)
    if decision_action == Action.UNHIDE:
        connector.unhide_message(target, reference)
    elif decision_action == Action.UNBLOCK:
        connector.unblock_account(target, reference)
    return ModerationResult()


def _carry_out(message: Message | None, action: str, reference: str = "") -> tuple[str, str, str]:
    """(outcome, error shown to people, reference) of the network call."""
    if message is None:
        return Outcome.FAILED, gettext_noop("The message is no longer in the inbox."), ""
    try:
        result = _network_call(action, message.channel.get_connector(), target_of(message), reference)
    except ConnectorError as error:
        # Stored in English, shown in each reader's language (the |stored_message filter).
        return Outcome.FAILED, str(error) if error.params else error.message, ""
    return Outcome.DONE, "", result.reference


def _send_notice(decision: Decision, actor: Person, request) -> None:
    from pregonero.inbox import services as inbox

    try:
        inbox.reply(
            decision.conversation,
            actor=actor,
            text=decision.notice_text,
            language=decision.notice_language,
            request=request,
        )
    except ValidationError as error:
        decision.notice_outcome, decision.notice_error = NoticeOutcome.FAILED, "; ".join(error.messages)
    except PermissionDenied:
        decision.notice_outcome = NoticeOutcome.FAILED
        decision.notice_error = _("Your replies need approval: send the notice from the conversation.")
    else:
        decision.notice_outcome = NoticeOutcome.SENT
    decision.save(update_fields=["notice_outcome", "notice_error"])


def moderate(
    message: Message,
    *,
    action: str,
    rule: Rule,
    actor: Person,
    expires_at: datetime | None = None,
    note: str = "",
    notice_template: NoticeTemplate | None = None,
    notice_text: str = "",
    notice_language: str = "",
    request=None,
) -> Decision:
    """Hide, delete or block, citing ``rule``; record the decision whatever the network says.

    ``rule`` must belong to the organisation's current rules. ``expires_at`` (hide and block
    only) lifts the action by itself. A notice (``notice_text``, or the template's text in
    ``notice_language``) goes to the citizen as a reply in the conversation when the action was
    carried out; its outcome is recorded too.
    """
    conversation = message.conversation
    organisation = conversation.organisation
    _require(actor, organisation, MODERATING_ROLE)
    if rule.rulebook.organisation_id != organisation.pk or rule.rulebook != current_rulebook(organisation):
        raise ValidationError({"rule": _("Choose a rule of the published participation rules.")})
    if action not in allowed_actions(message):
        raise ValidationError({"action": _("This action is not possible on this message now.")})
    if expires_at is not None and action not in EXPIRING_ACTIONS:
        raise ValidationError({"expires_at": _("A deletion cannot be lifted: leave the end date empty.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The end date must be in the future.")})
    language = notice_language or conversation.language or organisation.default_language
    if not notice_text.strip() and notice_template is not None:
        notice_text = notice_template.texts.get(language) or next(iter(notice_template.texts.values()), "")
    if notice_text.strip():
        notice_text = render_notice(
            notice_text.strip(), rule=rule, action=action, expires_at=expires_at, language=language
        )
    outcome, error, reference = _carry_out(message, action)
    with transaction.atomic():
        decision = Decision.objects.create(
            organisation=organisation,
            action=action,
            message=message,
            conversation=conversation,
            channel=message.channel,
            channel_name=message.channel.name[:200],
            network=message.channel.connector,
            message_remote_id=message.remote_id,
            author_id=target_of(message).author_id,
            author_handle=message.author_handle or conversation.citizen_handle,
            content=message.text,
            rule=rule,
            note=note.strip(),
            expires_at=expires_at,
            decided_by=actor,
            decided_by_label=actor.email,
            network_outcome=outcome,
            network_error=error,
            network_reference=reference,
            notice_template=notice_template,
            notice_text=notice_text.strip(),
            notice_language=language if notice_text.strip() else "",
        )
        audit.record(
            "moderation.decided",
            actor=actor,
            organisation=organisation,
            obj=decision,
            outcome="success" if outcome == Outcome.DONE else "failure",
            details={
                "action": action,
                "rule": rule.code,
                "rules_version": rule.rulebook.version,
                "message": message.remote_id,
                "channel": message.channel.name,
                "expires_at": expires_at,
                "error": error,
            },
            request=request,
        )
        on_decision(decision)
    if decision.notice_text and outcome == Outcome.DONE:
        _send_notice(decision, actor, request)
    return decision


def reverse(
    decision: Decision,
    *,
    actor: Person | None,
    note: str = "",
    request=None,
) -> Decision:
    """Undo a hide or a block in effect, as a new decision; ``actor`` None is the clock lifting
    an expired one."""
    organisation = decision.organisation
    if actor is not None:
        _require(actor, organisation, MODERATING_ROLE)
    if not decision.reversible:
        raise ValidationError({"note": _("This decision cannot be reversed (or it already was).")})
    action = REVERSAL[Action(decision.action)]
    message = decision.message
    outcome, error, _reference = _carry_out(message, action, decision.network_reference)
    label = actor.email if actor is not None else audit.SYSTEM_ACTOR
    with transaction.atomic():
        undo = Decision.objects.create(
            organisation=organisation,
            action=action,
            message=message,
            conversation=decision.conversation,
            channel=decision.channel,
            channel_name=decision.channel_name,
            network=decision.network,
            message_remote_id=decision.message_remote_id,
            author_id=decision.author_id,
            author_handle=decision.author_handle,
            content=decision.content,
            rule=decision.rule,
            note=note.strip() or ("" if actor else _("The decision reached its end date.")),
            decided_by=actor,
            decided_by_label=label,
            reverses=decision,
            network_outcome=outcome,
            network_error=error,
        )
        audit.record(
            "moderation.reversed",
            actor=actor,
            organisation=organisation,
            obj=undo,
            outcome="success" if outcome == Outcome.DONE else "failure",
            details={"reverses": decision.pk, "action": action, "automatic": actor is None, "error": error},
            request=request,
        )
        on_decision(undo)
    return undo


def lift_expired(now: datetime | None = None) -> int:
    """Reverse every hide and block whose end date has passed; returns how many were lifted.

    The clock tries each once: when the network refuses, the failed attempt is in the register
    and the decision stays in effect for a person to reverse, rather than a new failed row
    every few minutes.
    """
    now = now or timezone.now()
    tried = Decision.objects.filter(reverses=OuterRef("pk"), decided_by_label=audit.SYSTEM_ACTOR)
    due = (
        Decision.objects.filter(
            action__in=EXPIRING_ACTIONS, network_outcome=Outcome.DONE, expires_at__lte=now
        )
        .exclude(Exists(tried))
        .prefetch_related("reversals")
    )
    lifted = 0
    for decision in due:
        if decision.reversible and reverse(decision, actor=None).carried_out:
            lifted += 1
    return lifted


# Appeals.


@transaction.atomic
def record_appeal(
    decision: Decision, *, actor: Person, text: str, received_at: datetime | None = None, request=None
) -> Appeal:
    _require(actor, decision.organisation, MODERATING_ROLE)
    if decision.action not in FIRST_ACTIONS:
        raise ValidationError({"text": _("Appeals are against hiding, deleting or blocking.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what the citizen asked.")})
    appeal = Appeal.objects.create(
        decision=decision, text=text.strip(), received_at=received_at or timezone.now(), recorded_by=actor
    )
    audit.record(
        "moderation.appeal_recorded",
        actor=actor,
        organisation=decision.organisation,
        obj=decision,
        details={"appeal": appeal.pk},
        request=request,
    )
    return appeal


def decide_appeal(appeal: Appeal, *, actor: Person, outcome: str, note: str, request=None) -> Appeal:
    """Uphold the decision, or grant the appeal: a hide or block in effect is then reversed."""
    decision = appeal.decision
    _require(actor, decision.organisation, MODERATING_ROLE)
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError({"outcome": _("This appeal was already decided.")})
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.GRANTED):
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if not note.strip():
        raise ValidationError({"note": _("Give the reasons for the outcome.")})
    if outcome == AppealOutcome.GRANTED and decision.reversible:
        reverse(
            decision,
            actor=actor,
            note=_("Appeal granted: %(note)s") % {"note": note.strip()},
            request=request,
        )
    with transaction.atomic():
        appeal.outcome, appeal.outcome_note = outcome, note.strip()
        appeal.decided_by, appeal.decided_at = actor, timezone.now()
        appeal.save(update_fields=["outcome", "outcome_note", "decided_by", "decided_at"])
        audit.record(
            "moderation.appeal_decided",
            actor=actor,
            organisation=decision.organisation,
            obj=decision,
            details={"appeal": appeal.pk, "outcome": outcome},
            request=request,
        )
    return appeal
