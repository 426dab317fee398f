"""E-mails from the inbox: an assignment, an @mention in a note, an overdue answer.

Each goes to the person in their own language, with the link to the conversation. The
citizen's text is never put in the e-mail (it may hold personal data); the link is enough.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pregonero.inbox.models import FINISHED_STATES, Conversation, Note


def _link(conversation: Conversation) -> str:
    return settings.SITE_URL + reverse("inbox:detail", args=[conversation.organisation.slug, conversation.pk])


def _send(person, subject: str, body: str) -> None:
    send_mail(subject, body, None, [person.email])


def assigned(conversation_id: int, person_id: int) -> None:
    conversation = Conversation.objects.select_related("organisation", "assignee").get(pk=conversation_id)
    person = conversation.assignee
    if person is None or person.pk != person_id or not person.is_active:
        return
    with translation.override(person.language):
        _send(
            person,
            _("A conversation was assigned to you"),
            _("%(organisation)s: a conversation with %(citizen)s is now yours.\n\n%(link)s\n")
            % {
                "organisation": conversation.organisation.name,
                "citizen": conversation.citizen_handle,
                "link": _link(conversation),
            },
        )


def mentioned(note_id: int) -> int:
    note = Note.objects.select_related("conversation__organisation", "author").get(pk=note_id)
    author = note.author.full_name if note.author else ""
    sent = 0
    for person in note.mentioned.filter(is_active=True):
        with translation.override(person.language):
            _send(
                person,
                _("%(author)s mentioned you in the inbox") % {"author": author},
                _(
                    "%(author)s mentioned you in an internal note on a conversation of "
                    "%(organisation)s.\n\n%(link)s\n"
                )
                % {
                    "author": author,
                    "organisation": note.conversation.organisation.name,
                    "link": _link(note.conversation),
                },
            )
        sent += 1
    return sent


def overdue(now=None) -> int:
    """Tell each overdue conversation's assignee once per clock. The conditional update makes
    the claim: of two workers, only the one whose UPDATE changed the row sends the e-mail."""
    now = now or timezone.now()
    due = (
        Conversation.objects.filter(due_at__lt=now, overdue_notified_at__isnull=True)
        .filter(~Q(state__in=FINISHED_STATES))
        .exclude(assignee__isnull=True)
        .select_related("organisation", "assignee")
    )
    sent = 0
    for conversation in due:
        claimed = Conversation.objects.filter(
            pk=conversation.pk, overdue_notified_at__isnull=True, due_at=conversation.due_at
        ).update(overdue_notified_at=now)
        person = conversation.assignee
        if not claimed or not person.is_active:
            continue
        with translation.override(person.language):
            _send(
                person,
                _("An answer to a citizen is overdue"),
                _("%(organisation)s: the answer to %(citizen)s was due and has not been sent.\n\n%(link)s\n")
                % {
                    "organisation": conversation.organisation.name,
                    "citizen": conversation.citizen_handle,
                    "link": _link(conversation),
                },
            )
        sent += 1
    return sent


def reply_waiting(pending_id: int) -> int:
    """Tell who may approve it that a reply waits: the conversation's assignee when they may,
    else every member of the organisation who may."""
    from pregonero.accounts.models import Membership
    from pregonero.accounts.roles import Role
    from pregonero.inbox.models import PendingReply
    from pregonero.inbox.services import may_review

    pending = PendingReply.objects.select_related(
        "author", "conversation__organisation", "conversation__assignee"
    ).get(pk=pending_id)
    conversation = pending.conversation
    organisation = conversation.organisation
    memberships = Membership.objects.filter(organisation=organisation, person__is_active=True).select_related(
        "person"
    )
    reviewers = [
        m.person for m in memberships if may_review(Role(m.role), organisation) and m.person != pending.author
    ]
    people = [p for p in reviewers if p == conversation.assignee] or reviewers
    author = pending.author.full_name if pending.author else ""
    for person in people:
        with translation.override(person.language):
            _send(
                person,
                _("A reply waits for your approval"),
                _(
                    "%(author)s wrote a reply to %(citizen)s for %(organisation)s; "
                    "it is sent once approved.\n\n%(link)s\n"
                )
                % {
                    "author": author,
                    "citizen": conversation.citizen_handle,
                    "organisation": organisation.name,
                    "link": _link(conversation),
                },
            )
    return len(people)


def reply_returned(pending_id: int) -> None:
    from pregonero.inbox.models import PendingReply

    pending = PendingReply.objects.select_related("author", "reviewed_by", "conversation__organisation").get(
        pk=pending_id
    )
    person = pending.author
    if person is None or not person.is_active:
        return
    reviewer = pending.reviewed_by.full_name if pending.reviewed_by else ""
    with translation.override(person.language):
        _send(
            person,
            _("Your reply was returned"),
            _("%(reviewer)s returned your reply to %(citizen)s with a comment.\n\n%(link)s\n")
            % {
                "reviewer": reviewer,
                "citizen": pending.conversation.citizen_handle,
                "link": _link(pending.conversation),
            },
        )
