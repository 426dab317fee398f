"""Moderation screens: moderating one message, the register with its export, one decision with
its reversal and appeals, and the admins' rules and notice templates.

Editors and above moderate and read the register; admins publish the rules and write the
notice templates; outsiders get 404 (``organisation_for``). The citizens' page of the rules is
in :mod:`pregonero.moderation.public_views`.
"""

from __future__ import annotations

import csv
import zoneinfo
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.audit import services as audit
from pregonero.audit.export import BYTE_ORDER_MARK, safe_cell
from pregonero.inbox.models import Message
from pregonero.moderation import services
from pregonero.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    ModerateForm,
    NoticeTemplateForm,
    RegisterFilterForm,
    ReverseForm,
    RuleForm,
)
from pregonero.moderation.models import Appeal, AppealOutcome, Decision, NoticeTemplate, Outcome
from pregonero.publishing.views import GET_POST, post_only

PAGE_SIZE = 200


def _languages(organisation) -> list[str]:
    return list(organisation.official_languages or [organisation.default_language])


# Moderating a message.


@login_required
@GET_POST
def moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    message = object_in(
        Message.objects.select_related("conversation", "channel"),
        organisation,
        "conversation__organisation",
        pk=pk,
    )
    actions = services.allowed_actions(message)
    language = get_language() or organisation.default_language
    form = ModerateForm(
        request.POST if request.method == "POST" else None,
        actions=actions,
        rules=services.current_rules(organisation),
        organisation=organisation,
        language=language,
        initial={"notice_language": message.conversation.language or organisation.default_language},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.moderate(
                message,
                action=data["action"],
                rule=data["rule"],
                actor=request.user,
                expires_at=form.expires_at(),
                note=data["note"],
                notice_template=data["notice_template"],
                notice_text=data["notice_text"],
                notice_language=data["notice_language"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if decision.carried_out:
                messages.success(
                    request, _("Decision recorded in the register and carried out on the network.")
                )
            else:
                messages.error(
                    request, _("The network did not carry it out; the attempt is recorded in the register.")
                )
            return redirect("moderation:decision", slug, decision.pk)
    return render(
        request,
        "moderation/moderate.html",
        {
            "organisation": organisation,
            "role": role,
            "message": message,
            "conversation": message.conversation,
            "form": form,
            "actions": actions,
            "has_rules": services.current_rulebook(organisation) is not None,
            "in_effect": services.in_effect(message),
            "history": services.decisions_on(message),
        },
        status=400 if request.method == "POST" else 200,
    )


# The register.


def _register(organisation, form: RegisterFilterForm):
    decisions = Decision.objects.filter(organisation=organisation).select_related(
        "rule__rulebook", "reverses"
    )
    decisions = decisions.prefetch_related("reversals").annotate(appeal_count=Count("appeals"))
    if not form.is_valid():
        return decisions
    data = form.cleaned_data
    if data["action"]:
        decisions = decisions.filter(action=data["action"])
    if data["rule"]:
        decisions = decisions.filter(rule__code__iexact=data["rule"].strip())
    if data["channel"]:
        decisions = decisions.filter(channel=data["channel"])
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    if data["since"]:
        decisions = decisions.filter(decided_at__gte=datetime.combine(data["since"], time.min, tzinfo=zone))
    if data["until"]:
        decisions = decisions.filter(decided_at__lte=datetime.combine(data["until"], time.max, tzinfo=zone))
    state = data["state"]
    undone = Decision.objects.filter(reverses=OuterRef("pk"), network_outcome=Outcome.DONE)
    if state == "failed":
        decisions = decisions.filter(network_outcome=Outcome.FAILED)
    elif state == "reversed":
        decisions = decisions.filter(Exists(undone))
    elif state == "in_effect":
        decisions = decisions.filter(action__in=services.FIRST_ACTIONS, network_outcome=Outcome.DONE).exclude(
            Exists(undone)
        )
    elif state == "appealed":
        decisions = decisions.filter(appeal_count__gt=0)
    return decisions


@login_required
@require_GET
def register(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    form = RegisterFilterForm(request.GET or None, organisation=organisation)
    decisions = _register(organisation, form)
    return render(
        request,
        "moderation/register.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "decisions": decisions[:PAGE_SIZE],
            "total": decisions.count(),
            "query": request.GET.urlencode(),
            "is_admin": role == Role.ADMIN,
        },
    )


# Stable, untranslated column names, like the audit export's.
CSV_COLUMNS = [
    "id",
    "decided_at",
    "action",
    "reverses",
    "network",
    "channel",
    "account",
    "message_id",
    "message_text",
    "rule",
    "rules_version",
    "rule_title",
    "note",
    "expires_at",
    "decided_by",
    "network_outcome",
    "network_error",
    "notice_outcome",
    "notice_text",
    "reversed_by",
    "appeals",
]


def _csv_row(decision: Decision, zone, language: str, fallback: str) -> list:
    reversal = decision.reversal()
    appeals = "; ".join(
        f"{appeal.received_at:%Y-%m-%d} {appeal.outcome}" for appeal in decision.appeals.all()
    )
    cells = [
        decision.pk,
        decision.decided_at.astimezone(zone).isoformat(),
        decision.action,
        decision.reverses_id or "",
        decision.network,
        decision.channel_name,
        decision.author_handle,
        decision.message_remote_id,
        decision.content,
        decision.rule.code,
        decision.rule.rulebook.version,
        decision.rule.title_in(language, fallback),
        decision.note,
        decision.expires_at.astimezone(zone).isoformat() if decision.expires_at else "",
        decision.decided_by_label,
        decision.network_outcome,
        decision.network_error,
        decision.notice_outcome,
        decision.notice_text,
        reversal.pk if reversal else "",
        appeals,
    ]
    return [safe_cell(cell) if isinstance(cell, str) else cell for cell in cells]


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The register as CSV, with the filters of the page; cells a spreadsheet would run are
    neutralised (citizens' text is in them)."""
    organisation, _role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    form = RegisterFilterForm(request.GET or None, organisation=organisation)
    decisions = _register(organisation, form).prefetch_related(
        Prefetch("appeals", queryset=Appeal.objects.all())
    )
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    language = get_language() or organisation.default_language
    writer = csv.writer(_Echo())
    lines = [BYTE_ORDER_MARK + writer.writerow(CSV_COLUMNS)]
    lines.extend(
        writer.writerow(_csv_row(decision, zone, language, organisation.default_language))
        for decision in decisions
    )
    audit.record(
        "moderation.register_exported",
        actor=request.user,
        organisation=organisation,
        details={"filters": request.GET.dict(), "rows": len(lines) - 1},
        request=request,
    )
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now(), zone).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="moderation-{organisation.slug}-{stamp}.csv"'
    return response


# One decision: reversal and appeals.


def _decision(organisation, pk: int) -> Decision:
    return object_in(
        Decision.objects.select_related(
            "rule__rulebook", "reverses", "message", "conversation"
        ).prefetch_related("reversals", "appeals__recorded_by", "appeals__decided_by"),
        organisation,
        pk=pk,
    )


def _decision_page(request, organisation, role, decision, *, reverse_form=None, appeal_form=None, status=200):
    return render(
        request,
        "moderation/decision.html",
        {
            "organisation": organisation,
            "role": role,
            "decision": decision,
            "reversal": decision.reversal(),
            "rule_title": decision.rule.title_in(get_language() or "", organisation.default_language),
            "attempts": decision.reversals.all(),
            "appeals": decision.appeals.all(),
            "reverse_form": reverse_form or ReverseForm(prefix="reverse"),
            "appeal_form": appeal_form or AppealForm(prefix="appeal"),
            "decide_form": AppealDecisionForm(prefix="decide"),
            "AppealOutcome": AppealOutcome,
            "first_action": decision.action in services.FIRST_ACTIONS,
        },
        status=status,
    )


@login_required
@require_GET
def decision_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    return _decision_page(request, organisation, role, _decision(organisation, pk))


@login_required
@post_only
def decision_reverse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    decision = _decision(organisation, pk)
    form = ReverseForm(request.POST, prefix="reverse")
    if form.is_valid():
        try:
            undo = services.reverse(
                decision, actor=request.user, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if undo.carried_out:
                messages.success(request, _("Decision reversed; the reversal is in the register."))
            else:
                messages.error(
                    request, _("The network did not undo it; the attempt is recorded in the register.")
                )
            return redirect("moderation:decision", slug, pk)
    return _decision_page(request, organisation, role, decision, reverse_form=form, status=400)


@login_required
@post_only
def appeal_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    decision = _decision(organisation, pk)
    form = AppealForm(request.POST, prefix="appeal")
    if form.is_valid():
        received = form.cleaned_data["received_on"]
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
        try:
            services.record_appeal(
                decision,
                actor=request.user,
                text=form.cleaned_data["text"],
                received_at=datetime.combine(received, time(12), tzinfo=zone) if received else None,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Appeal recorded."))
            return redirect("moderation:decision", slug, pk)
    return _decision_page(request, organisation, role, decision, appeal_form=form, status=400)


@login_required
@post_only
def appeal_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.MODERATING_ROLE)
    appeal = object_in(
        Appeal.objects.select_related("decision"), organisation, "decision__organisation", pk=pk
    )
    form = AppealDecisionForm(request.POST, prefix="decide")
    if form.is_valid():
        try:
            services.decide_appeal(
                appeal,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Appeal decided."))
    else:
        messages.error(request, _("Choose an outcome and give the reasons."))
    return redirect("moderation:decision", slug, appeal.decision_id)


# The admins' pages: rules and notice templates.


@login_required
@GET_POST
def rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The current rules, a form to add or change one (each change publishes a new version),
    and the versions published before."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    languages = _languages(organisation)
    editing = None
    code = request.GET.get("edit", "")
    if code:
        editing = services.current_rules(organisation).filter(code=code).first()
    form = RuleForm(request.POST if request.method == "POST" else None, languages=languages, rule=editing)
    if request.method == "POST" and form.is_valid():
        draft = services.RuleDraft(form.cleaned_data["code"], form.values("title"), form.values("text"))
        try:
            book = services.save_rule(organisation, actor=request.user, draft=draft, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Rules published as version %(version)s.") % {"version": book.version}
            )
            return redirect("moderation:rules", slug)
    book = services.current_rulebook(organisation)
    return render(
        request,
        "moderation/rules.html",
        {
            "organisation": organisation,
            "role": role,
            "book": book,
            "rules": book.rules.all() if book else [],
            "versions": organisation.rulebooks.select_related("published_by"),
            "form": form,
            "editing": editing,
            "language": get_language() or organisation.default_language,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@post_only
def rules_start(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    if services.current_rulebook(organisation) is None:
        services.publish_rules(
            organisation,
            actor=request.user,
            drafts=services.standard_rules(organisation),
            change_note=_("Standard rules (MOD-1)"),
            request=request,
        )
        messages.success(request, _("The standard rules are published; adapt their wording as you need."))
    return redirect("moderation:rules", slug)


@login_required
@post_only
def rule_remove(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    if not services.current_rules(organisation).filter(code=code).exists():
        raise Http404
    try:
        book = services.remove_rule(organisation, actor=request.user, code=code, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rules published as version %(version)s.") % {"version": book.version})
    return redirect("moderation:rules", slug)


@login_required
@GET_POST
def notices(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    template = object_in(NoticeTemplate.objects.all(), organisation, pk=pk) if pk else None
    form = NoticeTemplateForm(
        request.POST if request.method == "POST" else None,
        languages=_languages(organisation),
        template=template,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_notice_template(
                organisation,
                actor=request.user,
                name=form.cleaned_data["name"],
                texts=form.texts(),
                template=template,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Notice template saved."))
            return redirect("moderation:notices", slug)
    return render(
        request,
        "moderation/notices.html",
        {
            "organisation": organisation,
            "role": role,
            "templates": NoticeTemplate.objects.filter(organisation=organisation),
            "form": form,
            "editing": template,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@post_only
def notice_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    template = object_in(NoticeTemplate.objects.all(), organisation, pk=pk)
    services.remove_notice_template(template, actor=request.user, request=request)
    messages.success(request, _("Notice template removed."))
    return redirect("moderation:notices", slug)
