"""Resetting a forgotten password by e-mail, and changing it while signed in."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pregonero.accounts.models import TOTPDevice
from pregonero.audit.models import AuditEntry
from pregonero.conftest import PASSWORD

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "a brand new passphrase 2025"


@pytest.fixture(autouse=True)
def reset_links_point_to_the_site(settings):
    settings.SITE_URL = "https://pregonero.example.org"


def reset_link(message) -> str:
    return re.search(r"https://pregonero\.example\.org(/\S+)", message.body).group(1)


def request_reset(client, email):
    return client.post(RESET, {"email": email})


def test_a_reset_request_sends_a_plain_text_e_mail_with_a_link_on_the_site(client, ana):
    response = request_reset(client, ana.email)
    assert response.url == reverse("accounts:password_reset_sent")
    [message] = mail.outbox
    assert message.to == [ana.email]
    assert "Pregonero" in message.subject
    assert "Pregonero" in message.body
    assert "expires in 60 minutes" in message.body
    assert not message.alternatives
    assert reset_link(message).startswith("/accounts/password/reset/")


def test_the_e_mail_is_plain_text_without_html_escaping(client, ana):
    ana.full_name = "Ana d'Altea"
    ana.save()
    request_reset(client, ana.email)
    assert "Ana d'Altea" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, ana):
    response = request_reset(client, "nobody@vilanova.example")
    assert response.url == reverse("accounts:password_reset_sent")
    assert mail.outbox == []


def test_a_reset_request_is_audited_with_the_submitted_address_only(client, db):
    request_reset(client, "Nobody@Vilanova.example")
    entry = AuditEntry.objects.get(action="password.reset_requested")
    assert entry.actor is None
    assert entry.actor_label == "nobody@vilanova.example"


def test_the_link_lets_the_person_choose_a_new_password(client, ana):
    request_reset(client, ana.email)
    form_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="password.reset_completed", actor=ana).exists()


def test_the_link_works_only_once(client, ana):
    request_reset(client, ana.email)
    link = reset_link(mail.outbox[0])
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_a_reset_does_not_sign_in_and_does_not_skip_the_second_factor(client, ana):
    TOTPDevice.objects.create(person=ana, secret=pyotp.random_base32(), confirmed_at=timezone.now())
    request_reset(client, ana.email)
    form_url = client.get(reset_link(mail.outbox[0])).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:login"), {"email": ana.email, "password": NEW_PASSWORD})
    assert response.url == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session


def test_changing_the_password_keeps_the_session_and_is_audited(client_for, ana):
    client = client_for(ana)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEntry.objects.filter(action="password.changed", actor=ana).exists()


def test_changing_the_password_needs_the_old_one(client_for, ana):
    client_for(ana).post(
        reverse("accounts:password_change"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="password.changed").exists()


def test_an_invited_person_who_never_chose_a_password_can_ask_for_a_new_link(client, ana):
    ana.set_unusable_password()
    ana.save()
    request_reset(client, ana.email)
    form_url = client.get(reset_link(mail.outbox[0])).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD)


def test_a_deactivated_person_gets_no_reset_e_mail(client, ana):
    ana.is_active = False
    ana.save()
    request_reset(client, ana.email)
    assert mail.outbox == []
