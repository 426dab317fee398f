"""Publishing screens: posts list, composer, post detail and actions, policy, emergency switch.

Each view parses the request, authorises through :mod:`pregonero.accounts.scoping`
(outsiders get 404, members with too low a role 403), calls one business action (from
:mod:`.services`, :mod:`.review`, :mod:`.media`, :mod:`.scheduling`, :mod:`.emergency` or
:mod:`.rules`) and renders. Actions are POST-only and come back to the post with a message,
so every page works without JavaScript; HTMX only adds the live preview and autosave.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.compliance import overrides, preflight
from pregonero.publishing import review, rules, scheduling, services
from pregonero.publishing.emergency import pause_organisation, paused_publications, resume_organisation
from pregonero.publishing.forms import (
    ConfirmOverrideForm,
    MediaEditForm,
    MediaForm,
    OverrideForm,
    PauseForm,
    PolicyForm,
    PostFilterForm,
    PostForm,
    ResumeForm,
    ReviewForm,
    ScheduleForm,
    VariantForm,
    WithdrawForm,
)
from pregonero.publishing.localtime import AmbiguousLocalTime
from pregonero.publishing.media import add_media, remove_media, update_media
from pregonero.publishing.models import CheckOverride, Media, Post, Variant

GET_POST = require_http_methods(["GET", "POST"])


def post_only(view):
    """For actions: anything but POST gets 405, but only after the organisation check, so
    another town's (or an unknown) slug answers 404 like every other page."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            organisation_for(request.user, slug)
            return HttpResponseNotAllowed(["POST"])
        return view(request, slug, *args, **kwargs)

    return wrapper


PAGE_SIZE = 50


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _post_in(request: HttpRequest, slug: str, pk: int, minimum: Role = Role.READER):
    organisation, role = organisation_for(request.user, slug, minimum=minimum)
    post = object_in(Post.objects.select_related("organisation", "department", "author"), organisation, pk=pk)
    return organisation, role, post


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _composer(request: HttpRequest, context: dict) -> HttpResponse:
    form, post = context["form"], context["post"]
    # The preview button lets people without JavaScript see the preview and the checks too.
    if request.method == "POST" and "preview" in request.POST and form.is_valid():
        context["previews"] = _previews(context["organisation"], form)
        context["report"] = _draft_report(context["organisation"], form, post)
    elif request.method == "GET" and post is not None:
        # What was saved, checked: the findings show after saving, with or without JavaScript.
        texts = {text.language: text.body for text in post.texts.all()}
        context["previews"] = services.compose_preview(context["organisation"], post.channels.all(), texts)
        context["report"] = preflight.report_for_post(post)
    return render(request, "publishing/compose.html", context)


def _draft_texts(form: PostForm) -> dict[str, str]:
    data = getattr(form, "cleaned_data", {})
    return {name[len("text_") :]: value for name, value in data.items() if name.startswith("text_")}


def _previews(organisation, form: PostForm) -> list[dict]:
    data = getattr(form, "cleaned_data", {})
    return services.compose_preview(organisation, data.get("channels", []), _draft_texts(form))


def _draft_report(organisation, form: PostForm, post: Post | None) -> preflight.Report:
    data = getattr(form, "cleaned_data", {})
    return preflight.report_for_draft(
        organisation,
        texts=_draft_texts(form),
        channels=data.get("channels", []),
        category=data.get("category") or (post.category if post else ""),
        post=post,
    )


@login_required
@require_GET
def post_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    form = PostFilterForm(request.GET or None, organisation=organisation)
    filters = form.cleaned_data if form.is_valid() else {}
    posts = (
        Post.objects.filter(services.filter_posts(organisation, **filters))
        .distinct()
        .select_related("department", "author")
        .prefetch_related("channels", "texts")
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publishing/list.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_write": role.at_least(Role.CONTRIBUTOR),
            "is_admin": role == Role.ADMIN,
            "paused": rules.is_paused(organisation),
        },
    )


@login_required
@GET_POST
def post_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.CONTRIBUTOR)
    form = PostForm(_posted(request), organisation=organisation, person=request.user, role=role)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            post = services.create_post(organisation, actor=request.user, request=request, **form.content())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("publishing:edit", organisation.slug, post.pk)
    return _composer(request, {"organisation": organisation, "role": role, "form": form, "post": None})


@login_required
@GET_POST
def post_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    if not rules.may_write(request.user, post):
        raise PermissionDenied
    form = PostForm(
        _posted(request),
        organisation=organisation,
        person=request.user,
        role=role,
        initial=PostForm.initial_for(post),
    )
    stale = None
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            services.save_post(
                post,
                actor=request.user,
                revision=form.cleaned_data["revision"] or 0,
                request=request,
                **form.content(),
            )
        except services.StaleEdit as error:
            stale = error
            # Keep what the person wrote, now on top of the latest revision: saving again is deliberate.
            data = request.POST.copy()
            data["revision"] = str(error.revision)
            form = PostForm(data, organisation=organisation, person=request.user, role=role)
            form.is_valid()
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("publishing:edit", organisation.slug, post.pk)
    context = {
        "organisation": organisation,
        "role": role,
        "form": form,
        "post": post,
        "stale": stale,
        "media_form": MediaForm(),
        "variants": post.variants.select_related("channel").order_by("channel__name", "language"),
    }
    return _composer(request, context)


def _live_preview(request: HttpRequest, organisation, role: Role, post: Post | None) -> HttpResponse:
    form = PostForm(request.POST, organisation=organisation, person=request.user, role=role)
    form.is_valid()
    return render(
        request,
        "publishing/_live_preview.html",
        {
            "organisation": organisation,
            "post": post,
            "previews": _previews(organisation, form),
            "report": _draft_report(organisation, form, post),
        },
    )


@login_required
@post_only
def post_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The live preview of the composer (HTMX): what each channel would publish and what the
    checks find, nothing saved."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.CONTRIBUTOR)
    return _live_preview(request, organisation, role, None)


@login_required
@post_only
def post_preview_saved(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The live preview of a saved post's composer: its media, time and overrides count too."""
    organisation, role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    if not rules.may_write(request.user, post):
        raise PermissionDenied
    return _live_preview(request, organisation, role, post)


@login_required
@post_only
def post_autosave(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Save the composer as an autosave revision (HTMX, every 20 s and on leaving a field)."""
    organisation, role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    form = PostForm(request.POST, organisation=organisation, person=request.user, role=role)
    status = ""
    if form.is_valid():
        before = post.revision
        try:
            post = services.save_post(
                post,
                actor=request.user,
                revision=form.cleaned_data["revision"] or 0,
                autosave=True,
                request=request,
                **form.content(),
            )
            if post.revision != before:
                status = _("Saved automatically at %(time)s.") % {
                    "time": date_format(scheduling.post_time_in(organisation, post.updated_at), "TIME_FORMAT")
                }
        except services.StaleEdit:
            status = _(
                "Not saved automatically: someone else saved this post. Save to compare both versions."
            )
        except ValidationError as error:
            status = " ".join(error.messages)
    else:
        status = _("Not saved automatically: some fields need attention.")
    return render(request, "publishing/_autosave.html", {"post": post, "status": status})


def _override_context(request: HttpRequest, post: Post, back: str, when: datetime | None = None) -> dict:
    """What the findings panel needs to offer overrides: who may, and where to come back."""
    check_overrides = list(post.check_overrides.select_related("requested_by", "confirmed_by"))
    return {
        "can_override": overrides.may_override(request.user, post),
        "override_back": back,
        "override_when": when.isoformat() if when else "",
        "check_overrides": check_overrides,
        "confirmable": {o.pk for o in check_overrides if overrides.may_confirm(request.user, o)},
    }


@login_required
@require_GET
def post_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, post = _post_in(request, slug, pk)
    return render(
        request,
        "publishing/detail.html",
        {
            "organisation": organisation,
            "role": role,
            "post": post,
            "report": preflight.report_for_post(post),
            **_override_context(request, post, "detail"),
            "texts": services.texts_in_order(post),
            "variants": post.variants.select_related("channel").order_by("channel__name", "language"),
            "media": post.media.all(),
            "history": services.revisions_with_diffs(post),
            "publications": scheduling.publications_of(post),
            "actions": rules.allowed_actions(post, request.user),
            "problems": review.submission_problems(post) if post.state in rules.SUBMITTABLE_STATES else [],
            "scheduled_local": scheduling.post_time_in(organisation, post.scheduled_at),
            "review_form": ReviewForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


def _act(request: HttpRequest, slug: str, pk: int, action, success: str, **kwargs) -> HttpResponse:
    """Run one state change on a post and come back to it with the outcome."""
    organisation, _role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    try:
        action(post, actor=request.user, request=request, **kwargs)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, success)
    return redirect("publishing:detail", organisation.slug, post.pk)


@login_required
@post_only
def post_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, review.submit, _("The post has been submitted."))


@login_required
@post_only
def post_publish_now(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, scheduling.publish_now, _("The post will go out in a moment."))


@login_required
@post_only
def post_regenerate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(
        request, slug, pk, services.regenerate_variants, _("The channel versions have been adapted again.")
    )


@login_required
@post_only
def post_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, slug, pk, review.withdraw, _("The post has been withdrawn."), reason=reason)


@login_required
@post_only
def post_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role, post = _post_in(request, slug, pk, minimum=Role.APPROVER)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or reject the post."))
        return redirect("publishing:detail", organisation.slug, post.pk)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == "approve":
        return _act(request, slug, pk, review.approve, _("The post has been approved."), comment=comment)
    return _act(request, slug, pk, review.reject, _("The post has been rejected."), comment=comment)


def _schedule_instant(organisation, form: ScheduleForm) -> datetime | None:
    """The instant the schedule form names, for checking the post at it; None if it names none."""
    if form.is_bound:
        # After a refusal the form has errors, yet the time it names is still the one to show.
        form.is_valid()
        local, fold = form.cleaned_data.get("when"), form.cleaned_data.get("fold")
    else:
        local, fold = form.initial.get("when"), None
    if local is None:
        return None
    try:
        return scheduling.local_to_utc(organisation, local, fold)
    except ValidationError:
        return None


def _asked_time(request: HttpRequest, organisation) -> datetime | None:
    """A time given as ``?when=``: the schedule page after an override keeps the time checked."""
    if "when" not in request.GET:
        return None
    asked = ScheduleForm(request.GET, organisation=organisation)
    return asked.cleaned_data["when"] if asked.is_valid() else None


@login_required
@GET_POST
def post_schedule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, post = _post_in(request, slug, pk, minimum=Role.EDITOR)
    initial = {
        "when": _asked_time(request, organisation)
        or scheduling.post_time_in(organisation, post.scheduled_at)
        or scheduling.default_schedule_time(organisation)
    }
    form = ScheduleForm(_posted(request), organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.schedule(
                post,
                actor=request.user,
                local=form.cleaned_data["when"],
                fold=form.cleaned_data["fold"],
                request=request,
            )
        except AmbiguousLocalTime as error:
            form.offer_folds(error.choices)
            form.add_error("fold", error.messages[0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The post has been scheduled."))
            return redirect("publishing:detail", organisation.slug, post.pk)
    # The checks at the time in the form: its date decides the election phase.
    when = _schedule_instant(organisation, form)
    return render(
        request,
        "publishing/schedule.html",
        {
            "organisation": organisation,
            "role": role,
            "post": post,
            "form": form,
            "report": preflight.report_for_post(post, when=when) if when else None,
            **_override_context(request, post, "schedule", when),
        },
    )


@login_required
@post_only
def media_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_media(post, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("File added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("publishing:edit", organisation.slug, post.pk)


@login_required
@GET_POST
def media_edit(request: HttpRequest, slug: str, pk: int, media_pk: int) -> HttpResponse:
    organisation, role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    media = object_in(Media.objects.filter(post=post), organisation, pk=media_pk)
    initial = {
        "description": media.description,
        "shows_minors": media.shows_minors,
        "consent_recorded": media.consent_recorded,
    }
    form = MediaEditForm(_posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_media(media, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("File details saved."))
            return redirect("publishing:edit", organisation.slug, post.pk)
    return render(
        request,
        "publishing/media_edit.html",
        {"organisation": organisation, "role": role, "post": post, "media": media, "form": form},
    )


@login_required
@post_only
def media_remove(request: HttpRequest, slug: str, pk: int, media_pk: int) -> HttpResponse:
    organisation, _role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    media = object_in(Media.objects.filter(post=post), organisation, pk=media_pk)
    try:
        remove_media(media, actor=request.user, request=request)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("File removed."))
    return redirect("publishing:edit", organisation.slug, post.pk)


@login_required
@GET_POST
def variant_edit(request: HttpRequest, slug: str, pk: int, variant_pk: int) -> HttpResponse:
    organisation, role, post = _post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    variant = object_in(
        Variant.objects.filter(post=post).select_related("channel"),
        organisation,
        "post__organisation",
        pk=variant_pk,
    )
    reset = request.method == "POST" and "reset" in request.POST
    form = VariantForm(None if reset else _posted(request), initial={"body": variant.body})
    if request.method == "POST" and (reset or form.is_valid()):
        try:
            services.edit_variant(
                variant,
                actor=request.user,
                body=None if reset else form.cleaned_data["body"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The version for %(channel)s has been saved.") % {"channel": variant.channel}
            )
            return redirect("publishing:edit", organisation.slug, post.pk)
    connector = variant.channel.get_connector()
    return render(
        request,
        "publishing/variant_edit.html",
        {
            "organisation": organisation,
            "role": role,
            "post": post,
            "variant": variant,
            "form": form,
            "limits": connector.limits,
            "capabilities": connector.capabilities,
        },
    )


@login_required
@GET_POST
def policy(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    current = rules.policy_for(organisation)
    initial = {
        "approval": current.approval,
        "approval_categories": current.approval_categories,
        "approval_channels": list(current.approval_channels.values_list("pk", flat=True)),
        "four_eyes": current.four_eyes,
    }
    form = PolicyForm(_posted(request), organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rules.update_policy(organisation, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The publishing policy has been saved."))
            return redirect("publishing:policy", organisation.slug)
    return render(
        request, "publishing/policy.html", {"organisation": organisation, "role": role, "form": form}
    )


@login_required
@GET_POST
def emergency(request: HttpRequest, slug: str) -> HttpResponse:
    """CRISIS-1: pause everything scheduled here and below, see what is held, resume."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    current = rules.policy_for(organisation)
    pausing = current.paused_at is None
    form = (PauseForm if pausing else ResumeForm)(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if pausing:
                held = pause_organisation(organisation, request.user, form.cleaned_data["reason"], request)
                message = _("Publishing is paused. %(count)d scheduled publications are held.") % {
                    "count": len(held)
                }
            else:
                released = resume_organisation(
                    organisation,
                    request.user,
                    form.cleaned_data["reschedule"],
                    form.cleaned_data["new_time"],
                    form.cleaned_data["fold"],
                    request,
                )
                message = _("Publishing has resumed. %(count)d publications are queued again.") % {
                    "count": len(released)
                }
        except AmbiguousLocalTime as error:
            form.offer_folds(error.choices)
            form.add_error("fold", error.messages[0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("publishing:emergency", organisation.slug)
    return render(
        request,
        "publishing/emergency.html",
        {
            "organisation": organisation,
            "role": role,
            "policy": current,
            "form": form,
            "pausing": pausing,
            "held": paused_publications(organisation),
            "paused_above": not pausing or rules.is_paused(organisation),
        },
    )


def _back_to(organisation, post: Post, back: str, when: datetime | None) -> HttpResponse:
    """Return to the page the override was asked from; the schedule page keeps its time."""
    if back == "schedule":
        response = redirect("publishing:schedule", organisation.slug, post.pk)
        if when is not None:
            local = scheduling.post_time_in(organisation, when)
            response["Location"] += "?when=" + local.strftime("%Y-%m-%dT%H:%M")
        return response
    return redirect("publishing:detail", organisation.slug, post.pk)


@login_required
@post_only
def override_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An approver overrides one blocking finding with a written reason (ELEC-*: to be confirmed)."""
    organisation, _role, post = _post_in(request, slug, pk, minimum=Role.APPROVER)
    form = OverrideForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    if not valid:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back_to(organisation, post, data.get("back", ""), data.get("when"))
    try:
        override = overrides.request_override(
            post,
            actor=request.user,
            fingerprint=data["fingerprint"],
            reason=data["reason"],
            when=data["when"],
            request=request,
        )
    except ValidationError as error:
        _report(request, error)
    else:
        if override.needs_confirmation:
            messages.success(
                request,
                _("Override of %(rule)s recorded; it counts once a second approver confirms it.")
                % {"rule": override.rule},
            )
        else:
            messages.success(request, _("Override of %(rule)s recorded.") % {"rule": override.rule})
    return _back_to(organisation, post, data["back"], data["when"])


@login_required
@post_only
def override_confirm(request: HttpRequest, slug: str, pk: int, override_pk: int) -> HttpResponse:
    """A second approver confirms an override of an election rule (four eyes)."""
    organisation, _role, post = _post_in(request, slug, pk, minimum=Role.APPROVER)
    override = object_in(
        CheckOverride.objects.filter(post=post), organisation, "post__organisation", pk=override_pk
    )
    form = ConfirmOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the override."))
    else:
        try:
            overrides.confirm_override(override, actor=request.user, request=request)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Override of %(rule)s confirmed.") % {"rule": override.rule})
    return redirect("publishing:detail", organisation.slug, post.pk)
