"""Each token has its own budget of requests per window, told in every reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pregonero.api.models import ApiToken
from pregonero.api.tests.conftest import make_token


def test_replies_carry_the_rate_limit_headers(api, settings, vilanova, editor_token):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS = 5, 60
    response = api.get(f"organisations/{vilanova.slug}", editor_token)
    assert response["RateLimit-Limit"] == "5"
    assert response["RateLimit-Remaining"] == "4"
    assert 1 <= int(response["RateLimit-Reset"]) <= 60
    assert response["RateLimit-Policy"] == "5;w=60"


def test_over_the_limit_is_429_with_retry_after(api, settings, vilanova, editor_token):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS = 3, 3600
    statuses = [api.get(f"organisations/{vilanova.slug}", editor_token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get(f"organisations/{vilanova.slug}", editor_token)
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["type"] == "/api/v1/problems/rate-limited"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["RateLimit-Remaining"] == "0"


def test_each_token_has_its_own_budget(api, settings, vilanova, diana, editor_token):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS = 1, 3600
    other = make_token(vilanova, diana)
    assert api.get(f"organisations/{vilanova.slug}", editor_token).status_code == 200
    assert api.get(f"organisations/{vilanova.slug}", editor_token).status_code == 429
    assert api.get(f"organisations/{vilanova.slug}", other).status_code == 200


def test_a_new_window_starts_a_new_count(api, settings, vilanova, editor_token):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS = 1, 60
    api.get(f"organisations/{vilanova.slug}", editor_token)
    # As if the last request was made in an earlier window.
    ApiToken.objects.update(window_started_at=datetime(2020, 1, 1, tzinfo=UTC), window_requests=1)
    assert api.get(f"organisations/{vilanova.slug}", editor_token).status_code == 200
    assert ApiToken.objects.get().window_started_at > datetime.now(UTC) - timedelta(seconds=61)
