"""Publications that need a person: the ones that failed and the ones nobody can vouch for.

The dispatcher stops in two places where only a person can decide (DESIGN.md "Exactly once"):

- ``failed``: the network refused, or kept failing until the attempts ran out;
- ``unknown``: a call may have reached the network and the network cannot say whether it
  published; sending again could publish twice.

From here a person, having looked at the network, says what happened: it *was* published
(with its address, if they want), or it was not and should be sent again, or it should not
go out on that channel at all. Each decision is one conditional UPDATE on the state and
attempt count the person saw, so it cannot overwrite what a worker did meanwhile; each is
audited and brings the post's state in line.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.api import webhooks
from pregonero.archive import capture as archive
from pregonero.audit import services as audit
from pregonero.publishing import tasks as publishing_tasks
from pregonero.publishing.dispatch import roll_up_post
from pregonero.publishing.models import Publication, PublicationState
from pregonero.publishing.rules import require, role_of

S = PublicationState
NEEDS_A_PERSON = (S.FAILED, S.UNKNOWN)
# What each decision may start from.
RETRYABLE = (S.FAILED, S.UNKNOWN, S.RETRY_WAIT)
MARKABLE = (S.FAILED, S.UNKNOWN)
CANCELLABLE = (S.QUEUED, S.RETRY_WAIT, S.PAUSED, S.FAILED, S.UNKNOWN)

_url = URLValidator(schemes=["http", "https"])


def needing_attention(organisation: Organisation) -> QuerySet[Publication]:
    """The organisation's publications waiting for a person's decision, oldest first."""
    return (
        Publication.objects.filter(organisation=organisation, state__in=NEEDS_A_PERSON)
        .select_related("post", "channel", "variant")
        .order_by("due_at", "pk")
    )


def actions_for(publication: Publication, actor: Person) -> tuple[str, ...]:
    """Which decisions ``actor`` may take on ``publication`` now (for the buttons)."""
    role = role_of(actor, publication.organisation)
    if not role.at_least(Role.EDITOR):
        return ()
    state = publication.state
    return tuple(
        name
        for name, states in (("retry", RETRYABLE), ("mark_sent", MARKABLE), ("cancel", CANCELLABLE))
        if state in states
    )


def retry(publication: Publication, *, actor: Person, checked: bool = False, request=None) -> Publication:
    """Send again now. For an ``unknown`` one the person must say they checked the network
    and it is not there: this is the one way a publication can go out twice."""
    _check_editor(publication, actor)
    if publication.state == S.UNKNOWN and not checked:
        raise ValidationError(
            {
                "checked": _(
                    "Check the network first: if the post is there, mark it as published instead. "
                    "Tick the box to confirm it is not there."
                )
            }
        )
    _move(
        publication,
        RETRYABLE,
        S.QUEUED,
        "publication.retried",
        actor,
        request,
        fields={"due_at": timezone.now(), "last_error": "", "last_error_params": {}},
        details={"checked_network": checked},
    )
    transaction.on_commit(publishing_tasks.dispatch_due.enqueue)
    return publication


def mark_sent(publication: Publication, *, actor: Person, url: str = "", request=None) -> Publication:
    """Record that the post is on the network after all, at ``url`` if given."""
    _check_editor(publication, actor)
    url = url.strip()
    if url:
        try:
            _url(url)
        except ValidationError:
            message = _("Enter the full address of the post, starting with https://.")
            raise ValidationError({"url": message}) from None
    _move(
        publication,
        MARKABLE,
        S.SENT,
        "publication.marked_sent",
        actor,
        request,
        fields={"remote_url": url, "sent_at": timezone.now(), "last_error": "", "last_error_params": {}},
        details={"url": url},
    )
    return publication


def cancel(publication: Publication, *, actor: Person, request=None) -> Publication:
    """This post will not go out on this channel."""
    _check_editor(publication, actor)
    _move(publication, CANCELLABLE, S.CANCELLED, "publication.cancelled", actor, request, fields={})
    return publication


def _check_editor(publication: Publication, actor: Person) -> None:
    require(role_of(actor, publication.organisation).at_least(Role.EDITOR))


def _move(
    publication: Publication,
    from_states: tuple[str, ...],
    to_state: str,
    action: str,
    actor: Person,
    request,
    *,
    fields: dict,
    details: dict | None = None,
) -> None:
    seen_state, seen_attempts = publication.state, publication.attempt_count
    if seen_state not in from_states:
        raise ValidationError(
            _("This publication is “%(state)s” now; reload the page to see what changed.")
            % {"state": publication.get_state_display()}
        )
    with transaction.atomic():
        changed = Publication.objects.filter(
            pk=publication.pk, state=seen_state, attempt_count=seen_attempts
        ).update(state=to_state, lease_until=None, **fields)
        if not changed:
            raise ValidationError(
                _("A worker changed this publication meanwhile; reload the page to see it.")
            )
        for name, value in fields.items():
            setattr(publication, name, value)
        publication.state = to_state
        if to_state == S.SENT:
            archive.publication_sent(publication, marked_by=actor)
        audit.record(
            action,
            actor=actor,
            organisation=publication.organisation,
            obj=publication,
            object_repr=f"{publication.post} → {publication.channel}"[:255],
            changes={"state": [seen_state, to_state]},
            details={"channel": publication.channel_id, **(details or {})},
            request=request,
        )
    rolled_up = roll_up_post(publication.post_id)
    # Outgoing webhooks (docs/api.md) hear of it after the commit, as from the dispatcher: a post
    # that a person's decision completes is published once for them too; their failure stops nothing.
    concluded = partial(webhooks.publication_concluded, publication.pk, to_state, rolled_up)
    transaction.on_commit(concluded, robust=True)
