"""The inbox list as people work it: filters, pages, live updates, keyboard actions (resolve and
undo), the team's due work, and images from the networks shown only on request.

Everything works without JavaScript; ``static/pregonero/inbox.js`` adds the keyboard, the
help overlay and the polling of :func:`updates`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import organisation_for
from pregonero.inbox import listing, media, saved_views, services
from pregonero.inbox.forms import FilterForm
from pregonero.inbox.models import FINISHED_STATES, State
from pregonero.inbox.views import _conversation
from pregonero.publishing.views import post_only

# Filters that are not the page number: what a saved view or a link keeps.
FILTER_NAMES = tuple(FilterForm.base_fields)


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", 1))
    except ValueError:
        return 1


def _filter_query(request: HttpRequest) -> str:
    """The request's filters as a query string, without the page."""
    query = request.GET.copy()
    for name in list(query):
        if name not in FILTER_NAMES:
            del query[name]
    return query.urlencode()


def _listed(request: HttpRequest, slug: str):
    organisation, role = organisation_for(request.user, slug)
    now = timezone.now()
    visible = services.visible_conversations(request.user, organisation, role)
    people = services.members(organisation)
    form = FilterForm(request.GET or None, organisation=organisation, people=people)
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    shown = listing.filtered(visible, data, person=request.user, organisation=organisation, now=now)
    page = listing.page_of(shown, now, _page_number(request))
    return organisation, role, visible, form, page, now


def _rows_context(request, organisation, role, page) -> dict:
    return {
        "organisation": organisation,
        "may_act": role.at_least(services.ACTING_ROLE),
        "page": page,
        "conversations": page.rows,
        "total": page.total,
        "filter_query": _filter_query(request),
        "back": reverse("inbox:list", args=[organisation.slug]) + "?" + request.GET.urlencode(),
        "version": listing.version(page),
    }


@login_required
@require_GET
def inbox_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role, visible, form, page, now = _listed(request, slug)
    open_ones = visible.exclude(state__in=FINISHED_STATES)
    # Separate capped counts rather than one aggregate: each can stop early or use an index.
    counts = {
        "open": listing.capped_count(open_ones),
        "new": listing.capped_count(visible.filter(state=State.NEW)),
        "overdue": listing.capped_count(visible.filter(listing.overdue_q(now))),
        "mine": listing.capped_count(open_ones.filter(assignee=request.user)),
        "cap": listing.COUNT_CAP,
    }
    context = _rows_context(request, organisation, role, page)
    views = saved_views.views_for(request.user, organisation).select_related("owner")
    current = saved_views.filter_query(request.GET)
    context.update(
        {
            "saved_views": saved_views.counted(
                views,
                visible,
                person=request.user,
                organisation=organisation,
                people=services.members(organisation),
                now=now,
            ),
            "current_query": current,
            "may_share": role.at_least(saved_views.SHARING_ROLE),
            "role": role,
            "form": form,
            "counts": counts,
            "now": now,
            "is_admin": role == Role.ADMIN,
            "sees_team": role.at_least(Role.EDITOR),
        }
    )
    return render(request, "inbox/list.html", context)


@login_required
@require_GET
def updates(request: HttpRequest, slug: str) -> HttpResponse:
    """The list's rows for the same filters and page, or 304 when nothing changed since the
    version the page has (``If-None-Match``)."""
    organisation, role, _visible, _form, page, _now = _listed(request, slug)
    context = _rows_context(request, organisation, role, page)
    etag = f'"{context["version"]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(
            {
                "version": context["version"],
                "total": page.total,
                "ids": [row.pk for row in page.rows],
                "html": render_to_string("inbox/_rows.html", context, request=request),
            }
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@post_only
def set_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Resolve a conversation (the ``e`` key and the "Resolve" button), or put back the state it
    had (the "Undo" that follows), through the same triage service and audit as the form."""
    organisation, _role, conversation = _conversation(request, slug, pk, minimum=services.ACTING_ROLE)
    state = request.POST.get("state", State.RESOLVED)
    if state not in State.values:
        return JsonResponse({"error": _("Unknown state.")}, status=400)
    previous = conversation.state
    try:
        services.triage(
            conversation,
            actor=request.user,
            state=state,
            priority=conversation.priority,
            department=conversation.department,
            assignee=conversation.assignee,
            tags=conversation.tags,
            request=request,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    text = _("Conversation with %(who)s: %(state)s.") % {
        "who": conversation.citizen_name or conversation.citizen_handle,
        "state": State(state).label,
    }
    if _wants_json(request):
        return JsonResponse({"message": text, "state": state, "previous": previous})
    messages.success(request, text)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect("inbox:detail", slug, pk)
    return redirect(target)


@login_required
@require_GET
def team(request: HttpRequest, slug: str) -> HttpResponse:
    """What is due per person and per department (editors and admins); every number links to
    the list filtered to those conversations."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.EDITOR)
    visible = services.visible_conversations(request.user, organisation, role)
    people, departments = listing.team_due(visible, organisation, timezone.now())
    return render(
        request,
        "inbox/team.html",
        {"organisation": organisation, "role": role, "people": people, "departments": departments},
    )


@login_required
@require_GET
def message_image(request: HttpRequest, slug: str, pk: int, message_pk: int, index: int) -> HttpResponse:
    """A citizen's image through our server, only when a person opens it (see ``media``)."""
    organisation, _role, conversation = _conversation(request, slug, pk)
    message = get_object_or_404(conversation.messages, pk=message_pk)
    try:
        image = media.fetch(message, index)
    except media.MediaRefused as refused:
        return HttpResponse(str(refused), status=502, content_type="text/plain; charset=utf-8")
    response = HttpResponse(image.content, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@post_only
def view_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the list's current filters under a name (shared with the organisation if asked)."""
    organisation, role = organisation_for(request.user, slug)
    query = saved_views.filter_query(QueryDict(request.POST.get("query", "")))
    try:
        saved_views.save_view(
            organisation,
            actor=request.user,
            role=role,
            name=request.POST.get("name", ""),
            query=query,
            shared=request.POST.get("shared") == "on",
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("View saved."))
    return redirect(reverse("inbox:list", args=[slug]) + (f"?{query}" if query else ""))


@login_required
@post_only
def view_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    view = get_object_or_404(saved_views.views_for(request.user, organisation), pk=pk)
    saved_views.remove_view(view, actor=request.user, role=role, request=request)
    messages.success(request, _("View removed."))
    return redirect("inbox:list", slug)
