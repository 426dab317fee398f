"""Tokens: who may create them, what they can be, how they are recognised and stopped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pregonero.accounts.models import Membership
from pregonero.accounts.roles import Role
from pregonero.api import tokens
from pregonero.api.models import ApiToken
from pregonero.api.tests.conftest import EVERYTHING, make_token
from pregonero.audit.models import AuditEntry


def test_only_admins_create_tokens(vilanova, pau):
    with pytest.raises(PermissionDenied):
        make_token(vilanova, pau, Role.READER)


def test_a_token_is_stored_as_a_fingerprint_only(vilanova, alba):
    secret = make_token(vilanova, alba)
    token = ApiToken.objects.get()
    assert secret.startswith(f"pgr_{token.prefix}_")
    assert secret not in {token.digest, token.prefix}
    assert len(token.digest) == 64
    assert tokens.find(secret) == token


def test_a_secret_with_the_right_prefix_but_wrong_rest_is_not_a_token(vilanova, alba):
    secret = make_token(vilanova, alba)
    assert tokens.find(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert tokens.find("pgr_nothing") is None


def test_creating_and_revoking_are_audited(vilanova, alba):
    make_token(vilanova, alba)
    token = ApiToken.objects.get()
    tokens.revoke_token(token, actor=alba)
    entries = AuditEntry.objects.filter(object_type="api.apitoken", object_id=str(token.pk)).order_by("pk")
    assert list(entries.values_list("action", flat=True)) == [
        "api_token.created",
        "api_token.revoked",
    ]


def test_the_scopes_must_name_something(vilanova, alba):
    with pytest.raises(ValidationError):
        make_token(vilanova, alba, scopes={"posts": ""})


def test_read_only_resources_cannot_be_written(vilanova, alba):
    make_token(vilanova, alba, scopes={"audit": "write", "publications": "read"})
    assert ApiToken.objects.get().scopes == {"audit": "read", "publications": "write"}


def test_allowed_addresses_must_be_addresses(vilanova, alba):
    with pytest.raises(ValidationError):
        make_token(vilanova, alba, allowed_addresses=["intranet"])


def test_an_expiry_in_the_past_is_refused(vilanova, alba):
    with pytest.raises(ValidationError):
        make_token(vilanova, alba, expires_at=timezone.now() - timedelta(minutes=1))


# Authentication


def test_a_request_without_a_token_is_401_with_a_bearer_challenge(api, vilanova):
    response = api.get(f"organisations/{vilanova.slug}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_token_is_401(api, vilanova):
    assert api.get(f"organisations/{vilanova.slug}", "pgr_000000000000_nope").status_code == 401


def test_a_revoked_token_stops_at_once(api, vilanova, alba, editor_token):
    assert api.get(f"organisations/{vilanova.slug}", editor_token).status_code == 200
    tokens.revoke_token(ApiToken.objects.get(), actor=alba)
    response = api.get(f"organisations/{vilanova.slug}", editor_token)
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_an_expired_token_is_401(api, vilanova, alba, editor_token):
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.get(f"organisations/{vilanova.slug}", editor_token)
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."


def test_a_token_limited_to_a_network_refuses_other_addresses(api, vilanova, alba):
    secret = make_token(vilanova, alba, allowed_addresses=["203.0.113.0/24"])
    inside = api.get(f"organisations/{vilanova.slug}", secret, REMOTE_ADDR="203.0.113.9")
    outside = api.get(f"organisations/{vilanova.slug}", secret, REMOTE_ADDR="198.51.100.1")
    assert inside.status_code == 200
    assert outside.status_code == 403
    assert outside.json()["type"] == "/api/v1/problems/address-not-allowed"


def test_the_address_is_the_one_the_trusted_proxy_saw(api, settings, vilanova, alba):
    settings.TRUSTED_PROXY_COUNT = 1
    secret = make_token(vilanova, alba, allowed_addresses=["203.0.113.9"])
    response = api.get(
        f"organisations/{vilanova.slug}", secret, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert response.status_code == 200


def test_every_use_records_when_and_from_where(api, vilanova, editor_token):
    api.get(f"organisations/{vilanova.slug}", editor_token, REMOTE_ADDR="192.0.2.44")
    token = ApiToken.objects.get()
    assert token.last_used_from == "192.0.2.44"
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_a_session_cookie_is_not_a_way_in(api, client_for, alba, vilanova):
    client_for(alba)  # signed in to the interface: the session cookie goes along
    assert api.get(f"organisations/{vilanova.slug}").status_code == 401


def test_a_token_loses_what_its_creator_loses(api, vilanova, alba):
    secret = make_token(vilanova, alba, Role.EDITOR)
    Membership.objects.filter(person=alba).update(role=Role.READER)
    created = api.post(
        f"organisations/{vilanova.slug}/posts",
        secret,
        json={"texts": {"es": "Hola"}},
        headers={"Idempotency-Key": "1"},
    )
    assert created.status_code == 403
    Membership.objects.filter(person=alba).delete()
    response = api.get(f"organisations/{vilanova.slug}", secret)
    assert response.status_code == 401


def test_an_inactive_creator_stops_their_tokens(api, vilanova, alba, editor_token):
    alba.is_active = False
    alba.save(update_fields=["is_active"])
    assert api.get(f"organisations/{vilanova.slug}", editor_token).status_code == 401


# The admin screens


def test_an_admin_creates_a_token_and_sees_it_once(client_for, alba, vilanova):
    client = client_for(alba)
    url = reverse("api_admin:tokens", args=[vilanova.slug])
    response = client.post(
        url,
        {
            "name": "Web CMS",
            "role": "editor",
            "scope_posts": "write",
            "scope_channels": "read",
            "allowed_addresses": "203.0.113.7\n10.20.0.0/16",
            "expires_at": "2099-01-01T10:00",
        },
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("pgr_") and secret in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.name, token.role, token.scopes) == (
        "Web CMS",
        "editor",
        {"posts": "write", "channels": "read"},
    )
    assert token.allowed_addresses == ["203.0.113.7/32", "10.20.0.0/16"]
    assert token.expires_at.isoformat() == "2099-01-01T09:00:00+00:00"
    assert secret not in client.get(url).content.decode()


def test_an_admin_revokes_a_token_from_the_list(client_for, alba, vilanova):
    make_token(vilanova, alba)
    token = ApiToken.objects.get()
    response = client_for(alba).post(reverse("api_admin:token_revoke", args=[vilanova.slug, token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == alba


def test_members_below_admin_cannot_see_the_tokens(client_for, pau, vilanova):
    assert client_for(pau).get(reverse("api_admin:tokens", args=[vilanova.slug])).status_code == 403


def test_a_token_of_another_town_cannot_be_revoked_from_here(client_for, alba, vilanova, altea, oscar):
    make_token(altea, oscar, Role.ADMIN, scopes=EVERYTHING)
    token = ApiToken.objects.get()
    response = client_for(alba).post(reverse("api_admin:token_revoke", args=[vilanova.slug, token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_admin_navigation_links_to_the_api_screens(client_for, alba, ana, vilanova):
    url = reverse("api_admin:tokens", args=[vilanova.slug])
    assert url in client_for(alba).get(reverse("core:dashboard", args=[vilanova.slug])).content.decode()
    assert url not in client_for(ana).get(reverse("core:dashboard", args=[vilanova.slug])).content.decode()
