"""Per-person interface language, session lifetime, and the two-factor requirement."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from pregonero.accounts.models import Membership
from pregonero.audit import services as audit

SESSION_STARTED = "pregonero_started"
SESSION_SEEN = "pregonero_seen"


class PersonLanguageMiddleware:
    """Signed-in people see the interface in the language they chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = getattr(request, "user", None)
        if person is not None and person.is_authenticated and person.language:
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End a session after ``SESSION_IDLE_SECONDS`` without activity or ``SESSION_MAX_AGE_SECONDS`` in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_AGE_SECONDS:
                audit.record("session.expired", actor=request.user, request=request)
                logout(request)
                query = {"expired": "1"}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode(query)}")
            request.session[SESSION_SEEN] = now
        return self.get_response(request)


def two_factor_required(person) -> bool:
    """True when any of the person's organisations demands a second factor."""
    return Membership.objects.filter(person=person, organisation__require_two_factor=True).exists()


class RequireTwoFactorMiddleware:
    """Send people who must use two-factor authentication, and have not set it up, to set it up."""

    ALLOWED_PREFIXES = ("/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = request.user
        if (
            person.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path not in self._allowed_paths()
            and not person.has_two_factor
            and two_factor_required(person)
        ):
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)

    @staticmethod
    def _allowed_paths() -> set[str]:
        return {reverse("accounts:two_factor_setup"), reverse("accounts:logout")}
