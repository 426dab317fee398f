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
