"""Tell people when a publication stops and needs them (failed, or outcome unknown).

One message per publication to the post's author and, when someone else, whoever approved
it, each in their own language. The link leads to the post, where the decision is taken.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregonero.publishing.models import Publication, PublicationState

NOTIFIED_STATES = (PublicationState.FAILED, PublicationState.UNKNOWN)


def people_to_tell(publication: Publication) -> list:
    post = publication.post
    people = [post.author, post.approved_by]
    unique = {person.pk: person for person in people if person is not None and person.is_active}
    return list(unique.values())


def tell_people(publication_id: int) -> int:
    """Send the messages; returns how many went out (0 if the publication moved on meanwhile)."""
    publication = (
        Publication.objects.select_related("post__author", "post__approved_by", "channel", "organisation")
        .filter(pk=publication_id, state__in=NOTIFIED_STATES)
        .first()
    )
    if publication is None:
        return 0
    link = settings.SITE_URL + reverse(
        "publishing:detail", args=[publication.organisation.slug, publication.post_id]
    )
    sent = 0
    for person in people_to_tell(publication):
        context = {
            "person": person,
            "publication": publication,
            "organisation": publication.organisation,
            # The title is the organisation's own text, not a citizen's; plain-text e-mail.
            "post_title": publication.post.title or f"#{publication.post_id}",
            "link": link,
        }
        with translation.override(person.language):
            subject = render_to_string("publishing/email/attention_subject.txt", context).strip()
            body = render_to_string("publishing/email/attention_body.txt", context)
        send_mail(subject, body, None, [person.email])
        sent += 1
    return sent
