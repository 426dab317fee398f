"""Who may do what with posts, and when: roles, the publishing policy and post states.

The business actions in :mod:`.services`, :mod:`.review`, :mod:`.media`, :mod:`.scheduling`
and :mod:`.emergency` ask here before changing anything; the screens ask
:func:`allowed_actions` which buttons to show.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pregonero.accounts.models import Membership, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.channels.models import Channel
from pregonero.publishing.models import ApprovalRule, Post, PostState, PublicationState, PublishingPolicy

# States in which the content of a post may still change.
EDITABLE_STATES = (PostState.DRAFT, PostState.REJECTED, PostState.IN_REVIEW, PostState.APPROVED)
# Autosave never touches an approved post: what was approved must not change silently.
AUTOSAVE_STATES = (PostState.DRAFT, PostState.REJECTED, PostState.IN_REVIEW)
SUBMITTABLE_STATES = (PostState.DRAFT, PostState.REJECTED)
WITHDRAWABLE_STATES = (
    PostState.DRAFT,
    PostState.IN_REVIEW,
    PostState.APPROVED,
    PostState.SCHEDULED,
    PostState.REJECTED,
)
# Publications that have not reached the network and may be cancelled or paused.
WAITING_STATES = (PublicationState.QUEUED, PublicationState.RETRY_WAIT, PublicationState.PAUSED)


def role_of(actor: Person, organisation: Organisation) -> Role:
    role = effective_role(actor, organisation)
    if role is None:
        raise PermissionDenied
    return role


def contributor_departments(actor: Person, organisation: Organisation) -> list[int]:
    membership = Membership.objects.filter(person=actor, organisation=organisation).first()
    return list(membership.departments.values_list("pk", flat=True)) if membership else []


def may_write(actor: Person, post: Post) -> bool:
    """Editors and above write any post; contributors only their own departments' posts."""
    role = effective_role(actor, post.organisation)
    if role is None or not role.at_least(Role.CONTRIBUTOR):
        return False
    if role.at_least(Role.EDITOR):
        return True
    return post.department_id is not None and post.department_id in contributor_departments(
        actor, post.organisation
    )


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def require_state(post: Post, states: Iterable[str], message: str) -> None:
    if post.state not in states:
        raise ValidationError(message % {"state": post.get_state_display()})


def policy_for(organisation: Organisation) -> PublishingPolicy:
    policy, _created = PublishingPolicy.objects.get_or_create(organisation=organisation)
    return policy


def needs_approval(post: Post) -> bool:
    """Whether the organisation's policy wants a person to approve this post.

    Approval channels apply whatever the rule; categories only with the "categories" rule.
    """
    policy = policy_for(post.organisation)
    if policy.approval == ApprovalRule.ALL:
        return True
    if policy.approval == ApprovalRule.CATEGORIES and post.category in policy.approval_categories:
        return True
    selected = post.channels.values_list("pk", flat=True)
    return policy.approval_channels.filter(pk__in=selected).exists()


def is_paused(organisation: Organisation) -> bool:
    """CRISIS-1: the organisation or one above it has pressed the emergency switch."""
    chain = [*organisation.ancestor_ids(), organisation.pk]
    return PublishingPolicy.objects.filter(organisation_id__in=chain, paused_at__isnull=False).exists()


@transaction.atomic
def update_policy(
    organisation: Organisation,
    *,
    actor: Person,
    approval: str,
    approval_categories: list[str],
    approval_channels: Iterable[Channel],
    four_eyes: bool,
    request=None,
) -> PublishingPolicy:
    require(role_of(actor, organisation) == Role.ADMIN)
    channels = list(approval_channels)
    if any(channel.organisation_id != organisation.pk for channel in channels):
        raise ValidationError({"approval_channels": _("Choose channels of this organisation.")})
    policy = policy_for(organisation)

    def state() -> dict:
        return {
            "approval": policy.approval,
            "approval_categories": sorted(policy.approval_categories),
            "approval_channels": sorted(policy.approval_channels.values_list("name", flat=True)),
            "four_eyes": policy.four_eyes,
        }

    before = state()
    policy.approval, policy.approval_categories, policy.four_eyes = (
        approval,
        list(approval_categories),
        four_eyes,
    )
    policy.save()
    policy.approval_channels.set(channels)
    changes = audit.diff(before, state())
    if changes:
        audit.record(
            "publishing.policy_changed",
            actor=actor,
            organisation=organisation,
            obj=policy,
            changes=changes,
            request=request,
        )
    return policy


def allowed_actions(post: Post, actor: Person) -> set[str]:
    """The actions whose buttons ``actor`` should see on ``post`` (the services decide again)."""
    role = effective_role(actor, post.organisation)
    if role is None:
        return set()
    actions = set()
    writer = may_write(actor, post)
    if writer and post.state in EDITABLE_STATES:
        actions |= {"edit", "media"}
    if writer and post.state in SUBMITTABLE_STATES:
        actions.add("submit")
    reviewer = role.at_least(Role.APPROVER)
    four_eyes_blocks = policy_for(post.organisation).four_eyes and post.author_id == actor.pk
    if reviewer and post.state == PostState.IN_REVIEW and not four_eyes_blocks:
        actions.add("review")
    if role.at_least(Role.EDITOR) and post.state in (PostState.APPROVED, PostState.SCHEDULED):
        actions |= {"schedule", "publish_now"}
    withdrawable = (
        WITHDRAWABLE_STATES if role.at_least(Role.EDITOR) else SUBMITTABLE_STATES + (PostState.IN_REVIEW,)
    )
    if writer and post.state in withdrawable:
        actions.add("withdraw")
    return actions
