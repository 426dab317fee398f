"""Tell the person who asked for an export that it is ready, in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregonero.exports.models import ExportJob


def page_url(job: ExportJob) -> str:
    """The full address of the export's page (which offers the download to those allowed)."""
    return settings.SITE_URL + reverse("exports:detail", args=[job.organisation.slug, job.pk])


def tell_ready(job: ExportJob) -> int:
    person = job.requested_by
    if person is None or not person.is_active or not person.email:
        return 0
    link = page_url(job)
    context = {"person": person, "job": job, "organisation": job.organisation, "link": link}
    with translation.override(person.language):
        subject = render_to_string("exports/email/ready_subject.txt", context).strip()
        body = render_to_string("exports/email/ready_body.txt", context)
    send_mail(subject, body, None, [person.email])
    return 1
