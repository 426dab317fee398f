"""Calendar screens: month, week and list; moving a post; exports; import; local holidays.

Each view parses the request, authorises through :mod:`pregonero.accounts.scoping`
(outsiders 404, too low a role 403), calls one service and renders. Readers see the
calendar; editors move posts and import; admins keep the local holidays. Moving works with
a plain form; dragging a post (agenda.js) only posts that same form.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregonero.accounts.forms_manage import add_service_errors
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in, organisation_for
from pregonero.agenda import exports, importing, services
from pregonero.agenda.elections import election_bands
from pregonero.agenda.forms import (
    LANGUAGE_LABELS,
    CalendarFilterForm,
    ConfirmImportForm,
    GoToForm,
    ImportForm,
    LocalHolidayForm,
    MoveForm,
)
from pregonero.agenda.models import LocalHoliday
from pregonero.agenda.periods import LIST, MONTH, VIEWS, WEEK, Period, add_months, period_for
from pregonero.agenda.public_days import holidays_between, local_holidays_seen_by, subdivision_of
from pregonero.publishing import scheduling
from pregonero.publishing.localtime import AmbiguousLocalTime, NonexistentLocalTime
from pregonero.publishing.models import Post
from pregonero.publishing.views import GET_POST, post_only

FILTER_NAMES = ("channel", "department", "state", "tag", "language")


def _today(organisation) -> date:
    return timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()


# Pages step a month either way; far-off years are refused rather than overflowing the calendar.
YEARS = range(1971, 2200)


def _anchor(request: HttpRequest, organisation) -> date:
    """The day asked for in ``?date=``, else today in the organisation's zone."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return _today(organisation)
    return day if day.year in YEARS else _today(organisation)


def _filter_query(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in FILTER_NAMES if request.GET.get(name)}


def calendar_url(slug: str, view: str, day: date, filters: dict[str, str]) -> str:
    names = {MONTH: "agenda:month", WEEK: "agenda:week", LIST: "agenda:list"}
    return reverse(names[view], args=[slug]) + "?" + urlencode({**filters, "date": day.isoformat()})


def _filter_form(request: HttpRequest, organisation) -> CalendarFilterForm:
    return CalendarFilterForm(
        request.GET or None, organisation=organisation, tags=services.campaign_tags(organisation)
    )


def _calendar(request: HttpRequest, slug: str, view: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug)
    form = _filter_form(request, organisation)
    period = period_for(view, _anchor(request, organisation))
    days = services.calendar_days(organisation, period, form.filters(), role)
    filters = _filter_query(request)
    export_query = urlencode({**filters, "view": view, "date": period.focus_start.isoformat()})
    context = {
        "organisation": organisation,
        "role": role,
        "form": form,
        "go_to": GoToForm(initial={"date": period.focus_start}),
        "period": period,
        "view": view,
        "days": days,
        "weeks": [days[index : index + 7] for index in range(0, len(days), 7)],
        "busy_days": [day for day in days if day.entries or day.holidays or day.elections],
        "filters": filters,
        "links": {
            "previous": calendar_url(slug, view, period.previous, filters),
            "next": calendar_url(slug, view, period.next, filters),
            "today": calendar_url(slug, view, _today(organisation), filters),
            **{name: calendar_url(slug, name, period.focus_start, filters) for name in VIEWS},
        },
        "here": request.get_full_path(),
        "export_query": export_query,
        "can_move": services.may_move(role),
        "can_import": role.at_least(Role.EDITOR),
        "is_admin": role == Role.ADMIN,
    }
    return render(request, f"agenda/{view}.html", context)


@login_required
@require_GET
def month(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(request, slug, MONTH)


@login_required
@require_GET
def week(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(request, slug, WEEK)


@login_required
@require_GET
def agenda_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(request, slug, LIST)


def _export_period(request: HttpRequest, organisation) -> Period:
    view = request.GET.get("view")
    return period_for(view if view in VIEWS else MONTH, _anchor(request, organisation))


def _exported_posts(request: HttpRequest, organisation, period: Period) -> list[Post]:
    form = _filter_form(request, organisation)
    start, end = services.day_bounds(period, ZoneInfo(organisation.time_zone))
    return services.posts_between(organisation, start, end, form.filters())


def _detail_url(request: HttpRequest, organisation):
    return lambda post: request.build_absolute_uri(
        reverse("publishing:detail", args=[organisation.slug, post.pk])
    )


def _attachment(response: HttpResponse, organisation, period: Period, extension: str) -> HttpResponse:
    name = f"{organisation.slug}-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_ics(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug)
    period = _export_period(request, organisation)
    document = exports.ics_document(
        organisation,
        _exported_posts(request, organisation, period),
        holidays_between(organisation, period.start, period.end),
        election_bands(organisation, period.start, period.end),
        host=request.get_host().split(":")[0],
        url_of=_detail_url(request, organisation),
        now=timezone.now(),
    )
    response = HttpResponse(document, content_type="text/calendar; charset=utf-8")
    return _attachment(response, organisation, period, "ics")


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _role = organisation_for(request.user, slug)
    period = _export_period(request, organisation)
    lines = exports.csv_lines(
        organisation,
        _exported_posts(request, organisation, period),
        url_of=_detail_url(request, organisation),
        delimiter=";" if request.GET.get("separator") == "semicolon" else ",",
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    return _attachment(response, organisation, period, "csv")


def _safe_next(request: HttpRequest, slug: str, value: str) -> str | None:
    """``value`` if it is a page of this organisation's calendar, else None."""
    own = reverse("agenda:month", args=[slug])
    if value.startswith(own) and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return None


def _time_errors_on_field(form: MoveForm, error: ValidationError) -> None:
    """The scheduling service names its field ``when``; here that is the date and time."""
    if hasattr(error, "error_dict") and "when" in error.error_dict:
        for message in error.error_dict.pop("when"):
            form.add_error("time", message)
        if not error.error_dict:
            return
    add_service_errors(form, error)


@login_required
@GET_POST
def move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.EDITOR)
    post = object_in(Post.objects.select_related("organisation"), organisation, pk=pk)
    current = scheduling.post_time_in(organisation, post.scheduled_at) or scheduling.default_schedule_time(
        organisation
    )
    initial = {"date": current.date(), "time": current.time(), "next": request.GET.get("next", "")}
    form = MoveForm(
        request.POST if request.method == "POST" else None, organisation=organisation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.reschedule(
                post, actor=request.user, local=form.local(), fold=form.cleaned_data["fold"], request=request
            )
        except AmbiguousLocalTime as error:
            form.offer_folds(error.choices)
            form.add_error("fold", error.messages[0])
        except NonexistentLocalTime as error:
            form.add_error("time", error.messages[0])
        except ValidationError as error:
            _time_errors_on_field(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” now goes out on %(when)s.")
                % {"title": post.title or f"#{post.pk}", "when": form.local().strftime("%Y-%m-%d %H:%M")},
            )
            target = _safe_next(request, slug, form.cleaned_data["next"])
            return redirect(target or calendar_url(slug, MONTH, form.cleaned_data["date"], {}))
    return render(
        request,
        "agenda/move.html",
        {"organisation": organisation, "role": role, "post": post, "form": form, "current": current},
    )


def _encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decode(content: str) -> str | None:
    try:
        return base64.b64decode(content.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError):
        return None


@login_required
@GET_POST
def import_posts(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV, see every row checked, then confirm: all rows become drafts or none does."""
    organisation, role = organisation_for(request.user, slug, minimum=Role.EDITOR)
    form = ImportForm()
    report = confirm = None
    if request.method == "POST" and "content" in request.POST:
        text = _decode(request.POST["content"])
        if text is None:
            messages.error(request, _("The previewed file could not be read back; upload it again."))
            return redirect("agenda:import", slug)
        try:
            posts = importing.import_posts(organisation, actor=request.user, text=text, request=request)
        except importing.ImportRefused as error:
            report = error.report
        else:
            messages.success(
                request,
                _("%(count)d posts imported as drafts with their planned times.") % {"count": len(posts)},
            )
            first = scheduling.post_time_in(organisation, posts[0].scheduled_at).date()
            return redirect(calendar_url(slug, LIST, first, {}))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            text = importing.decode(form.cleaned_data["file"].read())
            report = importing.check(organisation, text)
            if report.ok:
                confirm = ConfirmImportForm(initial={"content": _encode(text)})
    return render(
        request,
        "agenda/import.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "report": report,
            "confirm": confirm,
            "text_columns": [
                (f"text_{code}", LANGUAGE_LABELS.get(code, code)) for code in organisation.official_languages
            ],
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """A CSV with the import's columns and one example row, in the separator asked for."""
    organisation, _role = organisation_for(request.user, slug, minimum=Role.EDITOR)
    lines = importing.template_lines(
        organisation,
        example_day=add_months(_today(organisation), 1),
        delimiter=";" if request.GET.get("separator") == "semicolon" else ",",
    )
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-import-template.csv"'
    return response


@login_required
@GET_POST
def local_holidays(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    form = LocalHolidayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_local_holiday(organisation, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Local holiday added."))
            return redirect("agenda:holidays", slug)
    year = _today(organisation).year
    return render(
        request,
        "agenda/holidays.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "local": local_holidays_seen_by(organisation).order_by("date", "name"),
            "year": year,
            "territory": [
                holiday
                for holiday in holidays_between(organisation, date(year, 1, 1), date(year, 12, 31))
                if holiday.scope != "local"
            ],
            "subdivision": subdivision_of(organisation.region),
        },
    )


def _own_holiday(request: HttpRequest, slug: str, pk: int):
    organisation, role = organisation_for(request.user, slug, minimum=Role.ADMIN)
    return (
        organisation,
        role,
        object_in(LocalHoliday.objects.select_related("organisation"), organisation, pk=pk),
    )


@login_required
@GET_POST
def local_holiday_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, role, holiday = _own_holiday(request, slug, pk)
    form = LocalHolidayForm(
        request.POST if request.method == "POST" else None,
        initial={"date": holiday.date, "name": holiday.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_local_holiday(holiday, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Local holiday saved."))
            return redirect("agenda:holidays", slug)
    return render(
        request,
        "agenda/holiday_edit.html",
        {"organisation": organisation, "role": role, "form": form, "holiday": holiday},
    )


@login_required
@post_only
def local_holiday_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _organisation, _role, holiday = _own_holiday(request, slug, pk)
    services.remove_local_holiday(holiday, actor=request.user, request=request)
    messages.success(request, _("Local holiday removed."))
    return redirect("agenda:holidays", slug)
