"""Review and withdrawal: what keeps a post from going out, submit, approve, reject, withdraw.

Each change of state is recorded with :func:`transition`, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.compliance import preflight
from pregonero.publishing.adapt import AdaptationError, adapt
from pregonero.publishing.media import media_fit_problems
from pregonero.publishing.models import MediaKind, Post, PostState, PostText, PublicationState
from pregonero.publishing.rules import (
    SUBMITTABLE_STATES,
    WAITING_STATES,
    WITHDRAWABLE_STATES,
    may_write,
    needs_approval,
    policy_for,
    require,
    require_state,
    role_of,
)


def submission_problems(post: Post) -> list[str]:
    """Everything that keeps ``post`` from going to review or out, in the person's language."""
    problems = []
    organisation = post.organisation
    channels = list(post.channels.all())
    if not channels:
        problems.append(_("Choose at least one channel."))
    texts = dict(post.texts.values_list("language", "body"))
    labels = dict(PostText._meta.get_field("language").choices)
    for language in organisation.official_languages:
        if not texts.get(language, "").strip():
            problems.append(
                _("The %(language)s version is missing: every official language needs its text (LANG-1).")
                % {"language": labels.get(language, language)}
            )
    for variant in post.variants.select_related("channel"):
        connector = variant.channel.get_connector()
        try:
            adapt(variant.body, connector.limits, connector.capabilities)
        except AdaptationError as error:
            problems.append(
                _("%(channel)s, %(language)s: %(reason)s")
                % {"channel": variant.channel.name, "language": variant.language, "reason": error.message}
            )
    for media in post.media.all():
        name = media.filename
        if media.kind == MediaKind.IMAGE and not media.description.strip():
            problems.append(_("The image %(name)s needs a text description (A11Y-1).") % {"name": name})
        if media.kind == MediaKind.VIDEO and not media.captions:
            problems.append(_("The video %(name)s needs a captions file (A11Y-2).") % {"name": name})
        if media.shows_minors and not media.consent_recorded:
            problems.append(_("%(name)s shows children without recorded consent (DATA-3).") % {"name": name})
        problems.extend(media_fit_problems(channels, media.kind, media.mime, media.size))
        for channel in channels:
            longest = channel.get_connector().limits.max_alt_text
            if longest is not None and len(media.description) > longest:
                problems.append(
                    _("The description of %(name)s is longer than %(channel)s allows (%(limit)d characters).")
                    % {"name": name, "limit": longest, "channel": channel.name}
                )
    return problems


def check_ready(post: Post, *, when: datetime | None = None) -> None:
    """Refuse, listing why, while ``post`` has problems or blocking findings no override covers.

    The pre-flight checks run again here, at ``when`` (else the post's time, else now): the
    date decides the election phase, so approving and scheduling judge the post anew.
    """
    problems = submission_problems(post)
    refusals = preflight.report_for_post(post, when=when).refusals()
    if refusals:
        problems.append(
            _("The pre-flight checks block this post; change it, or ask an approver to override a block:")
        )
        problems.extend(refusals)
    if problems:
        raise ValidationError(problems)


def transition(post: Post, action: str, actor: Person, before: str, request=None, **details) -> None:
    audit.record(
        action,
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes={"state": [before, post.state]},
        details=details,
        request=request,
    )


@transaction.atomic
def submit(post: Post, *, actor: Person, request=None) -> Post:
    """Send a ready draft to review, or straight to approved when the policy needs no approval."""
    require(may_write(actor, post))
    require_state(post, SUBMITTABLE_STATES, _("A post that is “%(state)s” cannot be submitted."))
    check_ready(post)
    before = post.state
    automatic = not needs_approval(post)
    post.state = PostState.APPROVED if automatic else PostState.IN_REVIEW
    post.approved_by, post.approved_at = None, timezone.now() if automatic else None
    post.review_comment = ""
    post.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
    transition(post, "post.submitted", actor, before, request, approval_needed=not automatic)
    return post


def _check_reviewer(post: Post, actor: Person) -> None:
    require(role_of(actor, post.organisation).at_least(Role.APPROVER))
    if policy_for(post.organisation).four_eyes and post.author_id == actor.pk:
        raise ValidationError(_("Someone other than the author must review this post (four eyes)."))


@transaction.atomic
def approve(post: Post, *, actor: Person, comment: str = "", request=None) -> Post:
    _check_reviewer(post, actor)
    require_state(post, (PostState.IN_REVIEW,), _("A post that is “%(state)s” cannot be approved."))
    check_ready(post)
    before = post.state
    post.state, post.approved_by, post.approved_at = PostState.APPROVED, actor, timezone.now()
    post.review_comment = comment.strip()
    post.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
    transition(post, "post.approved", actor, before, request, comment=post.review_comment)
    return post


@transaction.atomic
def reject(post: Post, *, actor: Person, comment: str, request=None) -> Post:
    _check_reviewer(post, actor)
    require_state(post, (PostState.IN_REVIEW,), _("A post that is “%(state)s” cannot be rejected."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the post is rejected, so its author can fix it.")})
    before = post.state
    post.state, post.review_comment = PostState.REJECTED, comment.strip()
    post.save(update_fields=["state", "review_comment"])
    transition(post, "post.rejected", actor, before, request, comment=post.review_comment)
    return post


@transaction.atomic
def withdraw(post: Post, *, actor: Person, reason: str = "", request=None) -> Post:
    """Withdraw a post that has not reached any network, cancelling what was waiting to go.

    Contributors may withdraw their departments' posts until they are approved; editors
    and above any post. A publication the dispatcher has already claimed makes it fail.
    """
    require(may_write(actor, post))
    role = role_of(actor, post.organisation)
    if not role.at_least(Role.EDITOR):
        require(post.state in (PostState.DRAFT, PostState.IN_REVIEW, PostState.REJECTED))
    require_state(post, WITHDRAWABLE_STATES, _("A post that is “%(state)s” cannot be withdrawn."))
    cancelled = post.publications.filter(state__in=WAITING_STATES, remote_parts=[]).update(
        state=PublicationState.CANCELLED
    )
    # Re-read after the conditional update: a worker may have claimed one in between.
    if post.publications.exclude(state=PublicationState.CANCELLED).exists():
        raise ValidationError(
            _("Part of this post is already being sent or has gone out; it cannot be withdrawn.")
        )
    before = post.state
    post.state = PostState.WITHDRAWN
    post.review_comment = reason.strip() or post.review_comment
    post.save(update_fields=["state", "review_comment"])
    transition(post, "post.withdrawn", actor, before, request, reason=reason.strip(), cancelled=cancelled)
    return post
