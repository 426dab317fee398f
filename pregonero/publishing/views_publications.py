"""Screens for publications that need a person: the attention list and the three decisions.

Decisions are POST-only, scoped like every post action (outsiders 404, below editor 403), and
come back to where the person was: the post, or the attention list.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.publishing import attention
from pregonero.publishing.forms import MarkSentForm, RetryForm
from pregonero.publishing.models import Publication
from pregonero.publishing.views import post_only


@login_required
@require_GET
def attention_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    return render(
        request,
        "publishing/attention.html",
        {
            "organisation": organisation,
            "role": role,
            "publications": attention.needing_attention(organisation).prefetch_related("attempts"),
        },
    )


def _decide(request: HttpRequest, slug: str, pk: int, decide) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.EDITOR)
    publication = object_in(
        Publication.objects.select_related("post", "channel", "organisation"), organisation, pk=pk
    )
    try:
        message = decide(publication)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    if request.POST.get("back") == "attention":
        return redirect("publishing:attention", organisation.slug)
    return redirect("publishing:detail", organisation.slug, publication.post_id)


@login_required
@post_only
def publication_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def decide(publication):
        form = RetryForm(request.POST)
        form.is_valid()
        checked = form.cleaned_data["checked"]
        attention.retry(publication, actor=request.user, checked=checked, request=request)
        return _("The publication will be sent again in a moment.")

    return _decide(request, slug, pk, decide)


@login_required
@post_only
def publication_mark_sent(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def decide(publication):
        form = MarkSentForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        attention.mark_sent(publication, actor=request.user, url=form.cleaned_data["url"], request=request)
        return _("The publication is recorded as published.")

    return _decide(request, slug, pk, decide)


@login_required
@post_only
def publication_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def decide(publication):
        attention.cancel(publication, actor=request.user, request=request)
        return _("The publication is cancelled; it will not go out on that channel.")

    return _decide(request, slug, pk, decide)
