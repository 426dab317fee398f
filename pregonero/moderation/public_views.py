"""The citizens' page of an organisation's participation rules: the current version, and each
earlier one at its own permanent address (decisions and notices cite the version they used)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from pregonero.moderation.models import RuleBook
from pregonero.public import news, subscriptions
from pregonero.public.views import public_organisation


def _page(request: HttpRequest, org: str, version: int | None) -> HttpResponse:
    organisation = public_organisation(org)
    languages = news.organisation_languages(organisation)
    current = translation.get_language()
    language = current if current in languages else organisation.default_language
    translation.activate(language)
    request.LANGUAGE_CODE = language
    books = RuleBook.objects.filter(organisation=organisation)
    latest = books.order_by("-version").first()
    book = get_object_or_404(books, version=version) if version is not None else latest
    rules = [
        {
            "code": rule.code,
            "title": rule.title_in(language, organisation.default_language),
            "text": rule.text_in(language, organisation.default_language),
        }
        for rule in (book.rules.all() if book else [])
    ]
    return render(
        request,
        "moderation/public_rules.html",
        {
            "organisation": organisation,
            "public_languages": languages,
            "has_bulletin": subscriptions.email_channels(organisation).exists(),
            "book": book,
            "latest": latest,
            "rules": rules,
            "versions": books.order_by("-version"),
        },
    )


@require_http_methods(["GET", "HEAD"])
def rules(request: HttpRequest, org: str) -> HttpResponse:
    return _page(request, org, None)


@require_http_methods(["GET", "HEAD"])
def version(request: HttpRequest, org: str, number: int) -> HttpResponse:
    return _page(request, org, number)
