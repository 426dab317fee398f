"""Sessions end after a time without activity and after a maximum age."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from pregonero.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from pregonero.audit.models import AuditEntry
from pregonero.conftest import PASSWORD

PROFILE = reverse("accounts:profile")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def age_session(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


def test_an_active_session_keeps_working(client_for, ana):
    client = client_for(ana)
    client.get(PROFILE)
    age_session(client, SESSION_SEEN, django_settings.SESSION_IDLE_SECONDS - 60)
    assert client.get(PROFILE).status_code == 200


def test_a_session_idle_for_too_long_ends_and_the_login_page_says_so(client_for, ana):
    client = client_for(ana)
    client.get(PROFILE)
    age_session(client, SESSION_SEEN, django_settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(PROFILE)
    assert response.url.startswith(reverse("accounts:login") + "?expired=1")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "Your session has expired" in page


def test_a_session_older_than_the_maximum_ends_even_when_active(client_for, ana):
    client = client_for(ana)
    client.get(PROFILE)
    age_session(client, SESSION_STARTED, django_settings.SESSION_MAX_AGE_SECONDS + 1)
    assert client.get(PROFILE).url.startswith(reverse("accounts:login") + "?expired=1")


def test_an_expired_session_is_audited(client_for, ana):
    client = client_for(ana)
    client.get(PROFILE)
    age_session(client, SESSION_SEEN, django_settings.SESSION_IDLE_SECONDS + 1)
    client.get(PROFILE)
    assert AuditEntry.objects.filter(action="session.expired", actor=ana).exists()


def test_after_an_expired_session_signing_in_returns_to_the_page(client_for, ana):
    client = client_for(ana)
    client.get(PROFILE)
    age_session(client, SESSION_SEEN, django_settings.SESSION_IDLE_SECONDS + 1)
    login_url = client.get(PROFILE).url
    response = client.post(login_url, {"email": ana.email, "password": PASSWORD})
    assert response.url == PROFILE
