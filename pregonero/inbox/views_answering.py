"""Answering screens: sending a reply (with the saved-reply picker and the changed-meanwhile
confirmation), who else is writing, replies waiting for approval, saved replies, and the
admins' answering settings.

Same scoping as the other inbox views: outsiders get 404, contributors reach only their
departments' conversations, a role too low gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.models import LANGUAGE_CHOICES
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.inbox import answering, saved_replies, services
from pregonero.inbox.forms_answering import AnsweringSettingsForm, ApproveForm, ReturnForm, SavedReplyForm
from pregonero.inbox.models import InboxSettings, PendingReply, PendingState
from pregonero.inbox.reply_editor import editor_form
from pregonero.inbox.views import _conversation, _detail
from pregonero.publishing.views import GET_POST, post_only

_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def _language_name(code: str) -> str:
    return str(_LANGUAGE_NAMES.get(code, code))


@login_required
@post_only
def reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send (or submit for approval); with ``action=find`` or ``action=insert``, search the
    saved replies or insert one into the text, keeping everything typed."""
    organisation, role, conversation = _conversation(request, slug, pk, minimum=services.REPLYING_ROLE)
    action = request.POST.get("action", "send")
    form = editor_form(conversation, request.POST)
    if not form.is_valid():
        return _detail(request, organisation, role, conversation, reply=form, status=400)
    if action == "find":
        return _detail(request, organisation, role, conversation, reply=form)
    if action == "insert":
        return _insert(request, organisation, role, conversation, form)
    data = form.cleaned_data
    try:
        result = answering.submit(
            conversation,
            actor=request.user,
            text=data["text"],
            language=data["language"],
            override_reason=data["override_reason"],
            seen=data["seen"],
            request=request,
        )
    except answering.ConversationChanged as changed:
        posted = request.POST.copy()
        posted[form.add_prefix("seen")] = str(changed.latest)
        again = editor_form(conversation, posted)
        again.is_valid()
        again.add_error(None, changed.messages)
        return _detail(
            request,
            organisation,
            role,
            conversation,
            reply=again,
            extra={"changed": changed.newer},
            status=409,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, organisation, role, conversation, reply=form, status=400)
    if isinstance(result, PendingReply):
        messages.success(request, _("Reply saved: it is sent when an editor approves it."))
    else:
        messages.success(request, _("Reply sent."))
    return redirect("inbox:detail", slug, pk)


def _insert(request, organisation, role, conversation, form) -> HttpResponse:
    saved = form.chosen()
    if saved is None:
        form.add_error("saved_reply", _("Choose a saved reply to insert."))
        return _detail(request, organisation, role, conversation, reply=form, status=400)
    wanted = form.cleaned_data["language"]
    try:
        inserted = saved_replies.insert(saved, conversation, actor=request.user, language=wanted)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, organisation, role, conversation, reply=form, status=400)
    posted = request.POST.copy()
    typed = form.cleaned_data["text"].rstrip()
    posted[form.add_prefix("text")] = f"{typed}\n\n{inserted.text}" if typed else inserted.text
    posted[form.add_prefix("saved_reply")] = ""
    if inserted.fallback:
        note = _(
            "“%(title)s” has no text in %(wanted)s: the %(used)s text was inserted. "
            "Translate it before sending (LANG-4)."
        ) % {
            "title": saved.title,
            "wanted": _language_name(wanted),
            "used": _language_name(inserted.language),
        }
    else:
        note = _("“%(title)s” inserted in %(language)s.") % {
            "title": saved.title,
            "language": _language_name(inserted.language),
        }
    return _detail(
        request,
        organisation,
        role,
        conversation,
        reply=editor_form(conversation, posted),
        extra={"inserted_note": note, "inserted_fallback": inserted.fallback},
    )


@login_required
@post_only
def writing(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Refreshed by the reply form every few seconds: marks the person as writing when the
    text is not empty and answers who else is writing."""
    _organisation, _role, conversation = _conversation(request, slug, pk, minimum=services.REPLYING_ROLE)
    services.require_replying(request.user, conversation)
    if request.POST.get("reply-text", "").strip():
        answering.mark_writing(conversation, request.user)
    return render(
        request, "inbox/_writing.html", {"writing": answering.others_writing(conversation, request.user)}
    )


def _pending(request: HttpRequest, slug: str, pk: int, pending_pk: int):
    organisation, role, conversation = _conversation(request, slug, pk, minimum=services.REVIEWING_ROLE)
    if not services.may_review(role, organisation):
        raise PermissionDenied
    pending = object_in(
        PendingReply.objects.select_related("author"),
        organisation,
        field="conversation__organisation",
        pk=pending_pk,
        conversation=conversation,
        state=PendingState.PENDING,
    )
    pending.conversation = conversation
    return organisation, role, conversation, pending


@login_required
@post_only
def approve(request: HttpRequest, slug: str, pk: int, pending_pk: int) -> HttpResponse:
    organisation, role, conversation, pending = _pending(request, slug, pk, pending_pk)
    form = ApproveForm(request.POST, prefix="approve")
    if form.is_valid():
        try:
            answering.approve(
                pending,
                actor=request.user,
                override_reason=form.cleaned_data["override_reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reply approved and sent."))
            return redirect("inbox:detail", slug, pk)
    return _detail(request, organisation, role, conversation, extra={"approve_form": form}, status=400)


@login_required
@post_only
def send_back(request: HttpRequest, slug: str, pk: int, pending_pk: int) -> HttpResponse:
    organisation, role, conversation, pending = _pending(request, slug, pk, pending_pk)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            answering.send_back(
                pending, actor=request.user, comment=form.cleaned_data["comment"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reply returned to its author."))
            return redirect("inbox:detail", slug, pk)
    return _detail(request, organisation, role, conversation, extra={"return_form": form}, status=400)


@login_required
@require_GET
def pending_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Replies waiting for approval, for those who approve them."""
    organisation, role = organisation_for(request.user, slug, minimum=services.REVIEWING_ROLE)
    if not services.may_review(role, organisation):
        raise PermissionDenied
    return render(
        request,
        "inbox/pending.html",
        {"organisation": organisation, "role": role, "pending": answering.pending_in(organisation)},
    )


@login_required
@require_GET
def saved_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=saved_replies.MANAGING_ROLE)
    query = request.GET.get("q", "")[:200]
    shown = saved_replies.search(saved_replies.available(organisation), query)
    return render(
        request,
        "inbox/saved_list.html",
        {
            "organisation": organisation,
            "role": role,
            "query": query,
            "saved": shown.select_related("department").prefetch_related("texts")[:500],
        },
    )


@login_required
@GET_POST
def saved_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=saved_replies.MANAGING_ROLE)
    saved = object_in(saved_replies.available(organisation), organisation, pk=pk) if pk else None
    initial = {}
    if saved is not None:
        initial = {
            "title": saved.title,
            "category": saved.category,
            "tags": ", ".join(saved.tags),
            "department": saved.department_id,
            **{f"text_{item.language}": item.text for item in saved.texts.all()},
        }
    form = SavedReplyForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stored = saved_replies.save(
                organisation,
                actor=request.user,
                saved=saved,
                title=data["title"],
                category=data["category"],
                tags=form.tag_list(),
                department=data["department"],
                texts=form.texts(),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved reply saved."))
            return redirect("inbox:saved_edit", slug, stored.pk)
    return render(
        request,
        "inbox/saved_edit.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "saved": saved,
            "versions": saved.versions.select_related("edited_by") if saved else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@post_only
def saved_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug, minimum=saved_replies.MANAGING_ROLE)
    saved = object_in(saved_replies.available(organisation), organisation, pk=pk)
    saved_replies.delete(saved, actor=request.user, request=request)
    messages.success(request, _("Saved reply deleted."))
    return redirect("inbox:saved_list", slug)


@login_required
@GET_POST
def answering_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Approval of replies and the data-protection notice of private chats (admins)."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    stored = InboxSettings.objects.filter(organisation=organisation).first() or InboxSettings(
        organisation=organisation
    )
    initial = {
        "approval_roles": stored.approval_roles,
        "electronic_office_url": stored.electronic_office_url,
        "privacy_url": stored.privacy_url,
        **{f"notice_{language}": text for language, text in (stored.private_notices or {}).items()},
    }
    form = AnsweringSettingsForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answering.save_settings(
            organisation,
            actor=request.user,
            approval_roles=data["approval_roles"],
            electronic_office_url=data["electronic_office_url"],
            privacy_url=data["privacy_url"],
            notices=form.notices(),
            request=request,
        )
        messages.success(request, _("Answering settings saved."))
        return redirect("inbox:answering_settings", slug)
    return render(
        request,
        "inbox/answering_settings.html",
        {"organisation": organisation, "role": role, "form": form},
        status=400 if request.method == "POST" else 200,
    )
