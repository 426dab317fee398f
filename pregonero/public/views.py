"""Public pages: no sign-in, one organisation each, in its official languages.

Everything shown here may come from outside (post texts, addresses typed by citizens):
templates autoescape it and never render stored HTML.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_http_methods

from pregonero.accounts.models import Organisation
from pregonero.public import news, registry, subscriptions, texts
from pregonero.public.forms import AccountCheckForm, NewsSearchForm, SubscribeForm
from pregonero.public.models import NewsItem

PAGE_SIZE = 20
# Seconds a browser may reuse a public page without asking again; after that it asks with
# If-Modified-Since where the page knows when it last changed. Not ``public``: pages carry
# a per-visitor CSRF token in the language switch.
PAGE_MAX_AGE = 60
ASSET_MAX_AGE = 24 * 3600


def public_organisation(org: str) -> Organisation:
    """The active organisation whose short name is ``org``, or 404."""
    return get_object_or_404(Organisation, slug=org, is_active=True)


def _activate_language(request: HttpRequest, organisation: Organisation) -> str:
    """Speak the visitor's language if the organisation uses it, else its default one."""
    current = translation.get_language()
    language = (
        current if current in news.organisation_languages(organisation) else organisation.default_language
    )
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _render(request: HttpRequest, template: str, organisation: Organisation, context=None, status=200):
    context = {
        "organisation": organisation,
        "public_languages": news.organisation_languages(organisation),
        "has_bulletin": subscriptions.email_channels(organisation).exists(),
        **(context or {}),
    }
    return render(request, template, context, status=status)


def _cacheable(response: HttpResponse, max_age: int = PAGE_MAX_AGE) -> HttpResponse:
    """Let browsers keep the page a while; it varies by the visitor's language."""
    patch_cache_control(response, max_age=max_age)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _public_or_none(org: str) -> Organisation | None:
    return Organisation.objects.filter(slug=org, is_active=True).first()


def _news_changed(request: HttpRequest, org: str, **_kwargs):
    """When the organisation's news last changed: newest publication or withdrawal."""
    organisation = _public_or_none(org)
    if organisation is None:
        return None
    latest = NewsItem.objects.filter(organisation=organisation).aggregate(
        published=Max("published_at"), withdrawn=Max("withdrawn_at")
    )
    dates = [value for value in latest.values() if value is not None]
    return max(dates) if dates else None


def _item_changed(request: HttpRequest, org: str, number: int):
    item = NewsItem.objects.filter(organisation__slug=org, number=number).first()
    if item is None:
        return None
    return max(date for date in (item.published_at, item.withdrawn_at) if date is not None)


def _notice(request, organisation, title: str, message: str, status: int = 200) -> HttpResponse:
    return _render(request, "public/notice.html", organisation, {"title": title, "message": message}, status)


@require_http_methods(["GET", "HEAD"])
@condition(last_modified_func=_news_changed)
def news_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = public_organisation(org)
    language = _activate_language(request, organisation)
    form = NewsSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    items = news.search_news(news.visible_news(organisation, language), query).prefetch_related("media")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "language": language, "form": form, "query": query}
    return _cacheable(_render(request, "public/news_list.html", organisation, context))


@require_http_methods(["GET", "HEAD"])
@condition(last_modified_func=_item_changed)
def news_item(request: HttpRequest, org: str, number: int) -> HttpResponse:
    organisation = public_organisation(org)
    _activate_language(request, organisation)
    item = get_object_or_404(NewsItem, organisation=organisation, number=number)
    if item.is_withdrawn:
        # 410: the address was real and will not come back; the record stays (REC-2).
        return _cacheable(
            _render(request, "public/item_withdrawn.html", organisation, {"item": item}, status=410)
        )
    return _cacheable(
        _render(
            request,
            "public/item.html",
            organisation,
            {"item": item, "images": item.media.all(), "versions": news.other_versions(item)},
        )
    )


@require_http_methods(["GET", "HEAD"])
def news_image(request: HttpRequest, org: str, number: int, position: int) -> FileResponse:
    organisation = public_organisation(org)
    item = get_object_or_404(NewsItem, organisation=organisation, number=number, withdrawn_at__isnull=True)
    image = get_object_or_404(item.media, position=position, mime__in=news.IMAGE_TYPES)
    try:
        handle = default_storage.open(image.file_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return _cacheable(FileResponse(handle, content_type=image.mime), ASSET_MAX_AGE)


@require_http_methods(["GET", "HEAD"])
def official_channels(request: HttpRequest, org: str) -> HttpResponse:
    """The registry of official accounts, with rel="me" links that Mastodon checks."""
    organisation = public_organisation(org)
    _activate_language(request, organisation)
    entries = registry.listed_entries(organisation)
    return _cacheable(
        _render(
            request, "public/official.html", organisation, {"entries": entries, "form": AccountCheckForm()}
        )
    )


@require_http_methods(["GET", "HEAD"])
def official_qr(request: HttpRequest, org: str, ref: str) -> HttpResponse:
    organisation = public_organisation(org)
    entry = next((e for e in registry.listed_entries(organisation) if e.ref == ref and e.url), None)
    if entry is None:
        raise Http404
    response = HttpResponse(registry.qr_svg(entry.url), content_type="image/svg+xml")
    response["ETag"] = f'"{registry.qr_etag(entry.url)}"'
    patch_cache_control(response, max_age=ASSET_MAX_AGE)
    return response


@require_http_methods(["GET", "HEAD"])
def check_account(request: HttpRequest, org: str) -> HttpResponse:
    """ "Is this account ours?": a citizen pastes a handle or address and gets an answer."""
    organisation = public_organisation(org)
    _activate_language(request, organisation)
    form = AccountCheckForm(request.GET if "account" in request.GET else None)
    result = registry.check(organisation, form.cleaned_data["account"]) if form.is_valid() else None
    context = {
        "form": form,
        "result": result,
        "summary": registry.describe(result) if result is not None else "",
    }
    return _cacheable(_render(request, "public/check.html", organisation, context))


def _privacy_changed(request: HttpRequest, org: str):
    # The texts page shows the row of the visitor's language, or the default text: asking
    # for the newest of the organisation's rows keeps this cheap and never too old.
    organisation = _public_or_none(org)
    return (
        organisation.privacy_notices.aggregate(Max("updated_at"))["updated_at__max"] if organisation else None
    )


def _statement_changed(request: HttpRequest, org: str):
    organisation = _public_or_none(org)
    if organisation is None:
        return None
    return organisation.accessibility_statements.aggregate(Max("updated_at"))["updated_at__max"]


@require_http_methods(["GET", "HEAD"])
@condition(last_modified_func=_privacy_changed)
def privacy(request: HttpRequest, org: str) -> HttpResponse:
    organisation = public_organisation(org)
    language = _activate_language(request, organisation)
    notice = texts.privacy_notice(organisation, language)
    return _cacheable(_render(request, "public/privacy.html", organisation, {"notice": notice}))


@require_http_methods(["GET", "HEAD"])
@condition(last_modified_func=_statement_changed)
def accessibility(request: HttpRequest, org: str) -> HttpResponse:
    organisation = public_organisation(org)
    language = _activate_language(request, organisation)
    statement = texts.accessibility_statement(organisation, language)
    return _cacheable(_render(request, "public/accessibility.html", organisation, {"statement": statement}))


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, org: str) -> HttpResponse:
    organisation = public_organisation(org)
    language = _activate_language(request, organisation)
    channels = subscriptions.email_channels(organisation)
    if not channels.exists():
        raise Http404
    consents = [(channel, subscriptions.consent_for(channel, language)) for channel in channels]
    form = SubscribeForm(
        request.POST or None, organisation=organisation, channels=channels, language=language
    )
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            subscriptions.request_subscription(
                channel=channel,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                consent=subscriptions.consent_for(channel, language),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except subscriptions.TooManyRequests:
            return _notice(
                request,
                organisation,
                _("Too many requests"),
                _("Too many subscription requests came from your connection. Please try again later."),
                status=429,
            )
        except subscriptions.ConfirmationNotSent:
            return _notice(
                request,
                organisation,
                _("The message could not be sent"),
                _("We could not send the confirmation message right now. Please try again later."),
                status=503,
            )
        return _notice(
            request,
            organisation,
            _("Check your mailbox"),
            _(
                "If the address can receive the bulletin, we have sent it a message with a link. "
                "Your subscription starts when you open that link and confirm it, within 48 hours."
            ),
        )
    return _render(request, "public/subscribe.html", organisation, {"form": form, "consents": consents})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, org: str, token: str) -> HttpResponse:
    organisation = public_organisation(org)
    _activate_language(request, organisation)
    subscriber = subscriptions.subscriber_for_confirmation(organisation, token)
    if subscriber is None:
        return _notice(
            request,
            organisation,
            _("This link is not valid"),
            _("The link has expired or was already replaced by a newer one. You can subscribe again."),
            status=404,
        )
    # A GET only asks: mail scanners that open links must not subscribe anyone.
    if request.method == "POST":
        subscriptions.confirm(subscriber)
        return _notice(
            request,
            organisation,
            _("Subscription confirmed"),
            _("You will receive the bulletin. Every message has a link to unsubscribe."),
        )
    return _render(request, "public/confirm.html", organisation, {"channel": subscriber.channel})


# RFC 8058 one-click unsubscribing is a POST from the mail client, without our CSRF
# cookie; the signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, org: str, token: str) -> HttpResponse:
    organisation = public_organisation(org)
    _activate_language(request, organisation)
    subscriber = subscriptions.subscriber_for_unsubscribe(organisation, token)
    if subscriber is None:
        return _notice(
            request,
            organisation,
            _("This link is not valid"),
            _("Check that the address is complete, as it appeared in the message."),
            status=404,
        )
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return _notice(
            request,
            organisation,
            _("You have unsubscribed"),
            _("You will not receive the bulletin any more."),
        )
    return _render(request, "public/unsubscribe.html", organisation, {"channel": subscriber.channel})
