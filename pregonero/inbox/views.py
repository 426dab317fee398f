"""Inbox screens: the list with filters and counts, a conversation, its actions, and the
admins' settings (working hours, response targets, routing rules).

Readers see, contributors see their departments' conversations only, editors and above act;
outsiders get 404 (``organisation_for``). Actions are POST forms that work without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.inbox import reply_editor, services, targets
from pregonero.inbox.forms import (
    NoteForm,
    RoutingRuleForm,
    TargetsForm,
    TriageForm,
    WorkingHoursForm,
)
from pregonero.inbox.models import Conversation, Direction, RoutingRule
from pregonero.publishing.models import Publication
from pregonero.publishing.views import GET_POST, post_only


def _conversation(request: HttpRequest, slug: str, pk: int, minimum: Role = Role.READER):
    organisation, role = organisation_for(request.user, slug, minimum=minimum)
    visible = services.visible_conversations(request.user, organisation, role)
    conversation = object_in(
        visible.select_related("channel", "assignee", "department", "suggested_department", "organisation"),
        organisation,
        pk=pk,
    )
    return organisation, role, conversation


def _original_post(conversation: Conversation) -> Publication | None:
    if not conversation.post_remote_id:
        return None
    return (
        Publication.objects.filter(channel=conversation.channel, remote_id=conversation.post_remote_id)
        .select_related("post")
        .first()
    )


def _suggestion_text(conversation: Conversation) -> str:
    reason = conversation.suggestion_reason
    if reason.startswith("rule:"):
        return _("a routing rule")
    if reason == "learned":
        return _("learned from past routing")
    return ""


def _detail(
    request, organisation, role, conversation, *, triage=None, note=None, reply=None, extra=None, status=200
):
    people = services.members(organisation)
    may_act = role.at_least(services.ACTING_ROLE)
    triage = triage or TriageForm(
        initial={
            "state": conversation.state,
            "priority": conversation.priority,
            "department": conversation.department_id,
            "assignee": conversation.assignee_id,
            "tags": ", ".join(conversation.tags),
        },
        organisation=organisation,
        people=people,
    )
    earlier = (
        services.visible_conversations(request.user, organisation, role)
        .filter(channel=conversation.channel, citizen_id=conversation.citizen_id)
        .exclude(pk=conversation.pk)
        .exclude(citizen_id="")
        .order_by("-last_message_at")[:20]
    )
    now = timezone.now()
    left = targets.business_time_left(organisation, conversation.due_at, now) if conversation.due_at else None
    return render(
        request,
        "inbox/detail.html",
        {
            "organisation": organisation,
            "role": role,
            "conversation": conversation,
            "thread": conversation.messages.select_related("sent_by").prefetch_related("revisions"),
            "notes": conversation.notes.select_related("author"),
            "earlier": earlier,
            "original": _original_post(conversation),
            "channel_link": conversation.channel.config.get("account_url", ""),
            "suggestion": _suggestion_text(conversation),
            "overdue": conversation.is_overdue(now),
            "minutes_left": int(left.total_seconds() // 60) if left is not None else None,
            "may_act": may_act,
            "triage_form": triage,
            "note_form": note or NoteForm(prefix="note"),
            **reply_editor.context(request, organisation, role, conversation, reply),
            **(extra or {}),
            "Direction": Direction,
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, conversation = _conversation(request, slug, pk)
    return _detail(request, organisation, role, conversation)


@login_required
@post_only
def triage(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, conversation = _conversation(request, slug, pk, minimum=services.ACTING_ROLE)
    form = TriageForm(request.POST, organisation=organisation, people=services.members(organisation))
    if form.is_valid():
        try:
            services.triage(
                conversation,
                actor=request.user,
                state=form.cleaned_data["state"],
                priority=form.cleaned_data["priority"],
                department=form.cleaned_data["department"],
                assignee=form.cleaned_data["assignee"],
                tags=form.tag_list(),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Conversation updated."))
            return redirect("inbox:detail", slug, pk)
    return _detail(request, organisation, role, conversation, triage=form, status=400)


@login_required
@post_only
def note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, conversation = _conversation(request, slug, pk, minimum=services.ACTING_ROLE)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        services.add_note(conversation, actor=request.user, text=form.cleaned_data["text"], request=request)
        messages.success(request, _("Note added."))
        return redirect("inbox:detail", slug, pk)
    return _detail(request, organisation, role, conversation, note=form, status=400)


@login_required
@GET_POST
def inbox_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Working hours, response targets and routing rules (admins)."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    stored = targets.settings_of(organisation)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    hours_form = WorkingHoursForm(
        posted if which == "hours" else None,
        instance=stored,
        initial={"working_days": sorted(stored.days())},
        prefix="hours",
    )
    targets_form = TargetsForm(
        posted if which == "targets" else None,
        initial_hours=targets.targets_by_kind(organisation),
        prefix="targets",
    )
    rule_form = RoutingRuleForm(posted if which == "rule" else None, organisation=organisation, prefix="rule")
    if which == "hours" and hours_form.is_valid():
        services.save_working_hours(
            organisation, actor=request.user, request=request, **hours_form.cleaned_data
        )
        messages.success(request, _("Working hours saved."))
        return redirect("inbox:settings", slug)
    if which == "targets" and targets_form.is_valid():
        services.save_targets(
            organisation, actor=request.user, hours=targets_form.cleaned_data, request=request
        )
        messages.success(request, _("Response targets saved."))
        return redirect("inbox:settings", slug)
    if which == "rule" and rule_form.is_valid():
        services.add_rule(
            organisation, actor=request.user, rule=rule_form.save(commit=False), request=request
        )
        messages.success(request, _("Routing rule added."))
        return redirect("inbox:settings", slug)
    return render(
        request,
        "inbox/settings.html",
        {
            "organisation": organisation,
            "role": role,
            "hours_form": hours_form,
            "targets_form": targets_form,
            "rule_form": rule_form,
            "rules": RoutingRule.objects.filter(organisation=organisation).select_related(
                "department", "channel"
            ),
        },
        status=400 if which else 200,
    )


@login_required
@post_only
def rule_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    rule = object_in(RoutingRule.objects.select_related("department", "organisation"), organisation, pk=pk)
    services.remove_rule(rule, actor=request.user, request=request)
    messages.success(request, _("Routing rule removed."))
    return redirect("inbox:settings", slug)
