"""Who is calling: the bearer token, checked on every request, and its rate limit.

After :class:`TokenAuth` accepts a request, ``request.auth`` is the :class:`ApiToken`,
``request.actor`` its creator carrying the token's role as a ceiling, and the interface
language is the creator's, so refusals read in their language.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from pregonero.accounts.scoping import effective_role
from pregonero.api import tokens
from pregonero.api.models import ApiToken
from pregonero.api.problems import Problem, unauthenticated


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pgr_…``; anything else is a 401 problem."""

    openapi_description = "An API token created by an administrator of the organisation."

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            raise unauthenticated(_("Send the token in an “Authorization: Bearer …” header."))
        return super().__call__(request)

    def authenticate(self, request, token: str) -> ApiToken:
        found = tokens.find(token.strip())
        if found is None:
            raise unauthenticated(_("This token is not valid."))
        now = timezone.now()
        if found.is_revoked:
            raise unauthenticated(_("This token has been revoked."))
        if found.is_expired(now):
            raise unauthenticated(_("This token has expired."))
        translation.activate(found.created_by.language)
        address = request.META.get("REMOTE_ADDR", "")
        if not tokens.address_allowed(found, address):
            raise Problem(403, _("This token may not be used from this address."), kind="address-not-allowed")
        actor = tokens.acting_person(found)
        if effective_role(actor, found.organisation) is None:
            raise unauthenticated(
                _("The person who created this token no longer has access to the organisation.")
            )
        _count_request(request, found, now, address)
        request.actor = actor
        return found


def _valid_address(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _window_start(now: datetime, seconds: int) -> datetime:
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)


def _count_request(request, token: ApiToken, now: datetime, address: str) -> None:
    """Fixed-window rate limit kept on the token row, plus when and where it was last used.

    One UPDATE does both; any number of web processes share the count.
    """
    limit, seconds = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS
    start = _window_start(now, seconds)
    ApiToken.objects.filter(pk=token.pk).update(
        window_requests=Case(When(window_started_at=start, then=F("window_requests") + 1), default=Value(1)),
        window_started_at=start,
        last_used_at=now,
        last_used_from=_valid_address(address),
    )
    used = ApiToken.objects.filter(pk=token.pk).values_list("window_requests", flat=True).get()
    reset = max(1, math.ceil((start + timedelta(seconds=seconds) - now).total_seconds()))
    request.api_headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(max(0, limit - used)),
        "RateLimit-Reset": str(reset),
        "RateLimit-Policy": f"{limit};w={seconds}",
    }
    if used > limit:
        raise Problem(
            429,
            _("Too many requests with this token."),
            kind="rate-limited",
            detail=_("Wait %(seconds)s seconds before trying again.") % {"seconds": reset},
            headers={"Retry-After": str(reset)},
        )
