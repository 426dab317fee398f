"""Signing in with a password: auditing, the generic error, throttling, next, last access, signing out."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from pregonero.accounts import auth_services
from pregonero.audit.models import AuditEntry
from pregonero.conftest import PASSWORD

LOGIN = reverse("accounts:login")


def sign_in(client, email, password=PASSWORD, ip="203.0.113.7", **data):
    return client.post(LOGIN, {"email": email, "password": password, **data}, REMOTE_ADDR=ip)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_the_login_page_has_labelled_fields_with_autocomplete(client, db):
    page = client.get(LOGIN).content.decode()
    assert '<label for="id_email"' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page


def test_a_right_password_signs_in_and_is_audited_with_the_ip(client, ana):
    response = sign_in(client, ana.email)
    assert response.status_code == 302
    assert signed_in_as(client) == str(ana.pk)
    entry = AuditEntry.objects.get(action="login.succeeded")
    assert entry.actor == ana
    assert entry.details["ip"] == "203.0.113.7"
    assert entry.details["method"] == "password"


def test_the_e_mail_address_is_matched_whatever_its_case(client, ana):
    sign_in(client, "  ANA@Vilanova.example ")
    assert signed_in_as(client) == str(ana.pk)


def test_a_wrong_password_is_refused_and_audited_with_the_submitted_address(client, ana):
    response = sign_in(client, ana.email, "not the password")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor is None
    assert entry.actor_label == ana.email
    assert entry.outcome == "failure"
    assert entry.details["ip"] == "203.0.113.7"


def test_the_form_wide_error_is_linked_from_both_fields(client, ana):
    page = sign_in(client, ana.email, "not the password").content.decode()
    assert 'id="form-errors"' in page
    assert page.count('aria-describedby="form-errors"') == 2
    assert page.count('aria-invalid="true"') == 2


def test_an_unknown_address_gets_the_same_error_as_a_wrong_password(client, ana):
    unknown = sign_in(client, "nobody@vilanova.example", "whatever it is")
    wrong = sign_in(client, ana.email, "whatever it is")
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert unknown.context["form"].non_field_errors()
    assert AuditEntry.objects.filter(action="login.failed", actor_label="nobody@vilanova.example").exists()


def test_a_long_submitted_address_is_truncated_in_the_audit_log(client, db):
    sign_in(client, ("x" * 240) + "@example.org", "whatever")
    assert len(AuditEntry.objects.get(action="login.failed").actor_label) <= 254


def test_an_inactive_person_cannot_sign_in(client, ana):
    ana.is_active = False
    ana.save()
    sign_in(client, ana.email)
    assert signed_in_as(client) is None


def test_five_failures_for_an_address_pause_signing_in_even_with_the_right_password(client, ana):
    for attempt in range(auth_services.MAX_FAILURES):
        sign_in(client, ana.email, "wrong", ip=f"198.51.100.{attempt}")
    response = sign_in(client, ana.email, ip="198.51.100.99")
    assert signed_in_as(client) is None
    assert "Too many failed attempts" in str(response.context["form"].non_field_errors())
    assert AuditEntry.objects.filter(action="login.throttled", actor_label=ana.email).exists()


def test_many_failures_from_one_ip_pause_signing_in_from_it(client, ana):
    for attempt in range(auth_services.MAX_FAILURES_PER_IP):
        sign_in(client, f"guess{attempt}@vilanova.example", "wrong", ip="198.51.100.1")
    sign_in(client, ana.email, ip="198.51.100.1")
    assert signed_in_as(client) is None


def test_a_few_colleagues_mistyping_behind_one_address_do_not_lock_it(client, ana):
    for attempt in range(auth_services.MAX_FAILURES):
        sign_in(client, f"colleague{attempt}@vilanova.example", "wrong", ip="198.51.100.1")
    sign_in(client, ana.email, ip="198.51.100.1")
    assert signed_in_as(client) == str(ana.pk)


def test_refused_attempts_do_not_count_as_failures(client, ana):
    for _ in range(auth_services.MAX_FAILURES + 3):
        sign_in(client, ana.email, "wrong")
    assert AuditEntry.objects.filter(action="login.failed").count() == auth_services.MAX_FAILURES


def test_signing_in_works_again_once_the_failures_are_older_than_the_window(client, ana, monkeypatch):
    for _ in range(auth_services.MAX_FAILURES):
        sign_in(client, ana.email, "wrong")
    later = timezone.now() + auth_services.FAILURE_WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    sign_in(client, ana.email)
    assert signed_in_as(client) == str(ana.pk)


def test_a_safe_next_address_is_followed(client, ana):
    response = sign_in(client, ana.email, next="/accounts/profile/")
    assert response.url == "/accounts/profile/"


def test_a_next_address_on_another_host_is_ignored(client, ana):
    response = sign_in(client, ana.email, next="https://evil.example/")
    assert response.url == reverse("core:home")


def test_the_first_access_is_announced_as_such(client, ana):
    ana.language = "en"
    ana.save()
    response = sign_in(client, ana.email)
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("first access" in text for text in texts)


def test_the_previous_access_is_shown_with_its_ip(client, ana):
    ana.language = "en"
    ana.save()
    sign_in(client, ana.email, ip="192.0.2.10")
    client.post(reverse("accounts:logout"))
    response = sign_in(client, ana.email, ip="192.0.2.20")
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("previous access" in text and "192.0.2.10" in text for text in texts)


def test_failed_attempts_since_the_previous_access_are_mentioned(client, ana):
    ana.language = "en"
    ana.save()
    sign_in(client, ana.email)
    client.post(reverse("accounts:logout"))
    sign_in(client, ana.email, "wrong")
    response = sign_in(client, ana.email)
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("1 failed attempt" in text for text in texts)


def test_signing_in_changes_the_session_key(client, ana):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, ana.email)
    assert client.session.session_key != before


def test_signing_out_needs_a_post(client_for, ana):
    client = client_for(ana)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_as(client) == str(ana.pk)


def test_signing_out_ends_the_session_and_is_audited(client_for, ana):
    client = client_for(ana)
    response = client.post(reverse("accounts:logout"))
    assert response.url == LOGIN
    assert signed_in_as(client) is None
    assert AuditEntry.objects.filter(action="logout", actor=ana).exists()
