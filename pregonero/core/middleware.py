"""Request-wide facts that every view relies on: who is calling, and in which time zone."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

from pregonero.accounts.models import Organisation


class ClientAddressMiddleware:
    """Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the client's address is the one the
    outermost trusted proxy saw; without this, every visitor would look like the proxy and
    share one throttling budget and one consent address.

    Only the last ``TRUSTED_PROXY_COUNT`` entries of X-Forwarded-For are trusted: entries to
    their left were written by the client and may be forged.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = settings.TRUSTED_PROXY_COUNT

    def __call__(self, request):
        if self.proxies:
            header = request.META.get("HTTP_X_FORWARDED_FOR", "")
            forwarded = [part.strip() for part in header.split(",") if part.strip()]
            if len(forwarded) >= self.proxies:
                request.META["REMOTE_ADDR"] = forwarded[-self.proxies]
        return self.get_response(request)


class OrganisationTimeZoneMiddleware:
    """Pages of an organisation show times in its time zone (Canarias is an hour behind)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("slug") or view_kwargs.get("org")
        if slug:
            name = Organisation.objects.filter(slug=slug).values_list("time_zone", flat=True).first()
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
        return None
