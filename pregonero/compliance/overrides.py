"""Overriding a blocking finding of the pre-flight checks: asked with a reason, confirmed for
election rules by a second approver, every step audited (RULES.md: "every override of a block
is recorded with who, why and who approved it").

Approvers and admins may override. For ELEC-* the override counts only once another approver
or admin confirms it: neither the person who asked nor the author of the post.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.compliance import preflight
from pregonero.publishing.models import CheckOverride, Post
from pregonero.publishing.rules import require, require_state, role_of


def may_override(actor: Person, post: Post) -> bool:
    """Whether ``actor`` may ask for (or confirm) overrides on ``post``'s blocks."""
    role = role_of(actor, post.organisation)
    return role.at_least(Role.APPROVER) and post.state in preflight.OVERRIDABLE_STATES


def may_confirm(actor: Person, override: CheckOverride) -> bool:
    """Four eyes on election rules: someone else than who asked, and than the author."""
    return (
        override.needs_confirmation
        and override.confirmed_at is None
        and actor.pk not in (override.requested_by_id, override.post.author_id)
        and may_override(actor, override.post)
    )


def _details(override: CheckOverride) -> dict:
    return {
        "rule": override.rule,
        "fingerprint": override.fingerprint,
        "evidence": override.evidence,
        "message": override.message,
        "reason": override.reason,
        "needs_confirmation": override.needs_confirmation,
    }


@transaction.atomic
def request_override(
    post: Post,
    *,
    actor: Person,
    fingerprint: str,
    reason: str,
    when: datetime | None = None,
    request=None,
) -> CheckOverride:
    """Override the blocking issue ``fingerprint`` of ``post`` as checked at ``when``.

    The issue must be a current block of the post (so the rule recorded is the one that fired,
    not one a form claims); blocks of :data:`preflight.NOT_OVERRIDABLE` rules are refused.
    """
    require(role_of(actor, post.organisation).at_least(Role.APPROVER))
    require_state(
        post,
        preflight.OVERRIDABLE_STATES,
        _("The checks of a post that is “%(state)s” cannot be overridden."),
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this post may go out despite the finding.")})
    issue = preflight.find_issue(preflight.report_for_post(post, when=when), fingerprint)
    if issue is None or issue.severity != "block":
        raise ValidationError(
            _("This finding no longer applies to the post as it is now; look at the current findings.")
        )
    if not issue.overridable:
        raise ValidationError(
            _("%(rule)s cannot be overridden: change the post so that it no longer applies.")
            % {"rule": issue.rule}
        )
    if issue.override is not None:
        raise ValidationError(_("This finding already has an override."))
    try:
        with transaction.atomic():
            override = CheckOverride.objects.create(
                post=post,
                rule=issue.rule,
                fingerprint=issue.fingerprint,
                message=issue.message,
                evidence=list(issue.evidence),
                reason=reason,
                requested_by=actor,
                needs_confirmation=issue.needs_second_approver,
            )
    except IntegrityError as error:
        raise ValidationError(_("This finding already has an override.")) from error
    audit.record(
        "post.check_override_requested",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        details=_details(override),
        request=request,
    )
    return override


@transaction.atomic
def confirm_override(override: CheckOverride, *, actor: Person, request=None) -> CheckOverride:
    """The second approver's confirmation that makes an election-rule override count."""
    post = override.post
    require(role_of(actor, post.organisation).at_least(Role.APPROVER))
    require_state(
        post,
        preflight.OVERRIDABLE_STATES,
        _("The checks of a post that is “%(state)s” cannot be overridden."),
    )
    if not override.needs_confirmation or override.confirmed_at is not None:
        raise ValidationError(_("This override needs no further confirmation."))
    if actor.pk == override.requested_by_id:
        raise ValidationError(_("Someone other than the person who asked must confirm this override."))
    if actor.pk == post.author_id:
        raise ValidationError(_("The author of the post cannot confirm an override of its election checks."))
    # The conditional update settles two approvers confirming at once: one wins.
    confirmed_at = timezone.now()
    claimed = CheckOverride.objects.filter(pk=override.pk, confirmed_at__isnull=True).update(
        confirmed_by=actor, confirmed_at=confirmed_at
    )
    if not claimed:
        raise ValidationError(_("This override needs no further confirmation."))
    override.refresh_from_db()
    audit.record(
        "post.check_override_confirmed",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        details={**_details(override), "requested_by": override.requested_by.email},
        request=request,
    )
    return override
