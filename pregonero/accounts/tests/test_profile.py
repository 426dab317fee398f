"""The person's own profile: name, interface language, two-factor status and recent sign-ins."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.urls import reverse

from pregonero.audit import services as audit
from pregonero.audit.models import AuditEntry
from pregonero.conftest import PASSWORD

PROFILE = reverse("accounts:profile")


def save_profile(client, full_name="Ana Editora", language="en"):
    return client.post(PROFILE, {"full_name": full_name, "language": language})


def test_the_profile_needs_a_signed_in_person(client, db):
    assert client.get(PROFILE).url.startswith(reverse("accounts:login"))


def test_saving_the_name_is_audited_with_the_change(client_for, ana):
    save_profile(client_for(ana), full_name="Ana Pérez")
    ana.refresh_from_db()
    assert ana.full_name == "Ana Pérez"
    entry = AuditEntry.objects.get(action="person.updated")
    assert entry.changes == {"full_name": ["Ana Editora", "Ana Pérez"]}


def test_saving_without_changes_writes_no_audit_entry(client_for, ana):
    save_profile(client_for(ana))
    assert not AuditEntry.objects.filter(action="person.updated").exists()


def test_the_chosen_language_applies_at_once(client_for, ana):
    response = save_profile(client_for(ana), language="ca")
    ana.refresh_from_db()
    assert ana.language == "ca"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "ca"
    page = client_for(ana).get(PROFILE)
    assert '<html lang="ca">' in page.content.decode()


def test_the_language_stays_on_the_sign_in_page_after_signing_out(client_for, ana):
    client = client_for(ana)
    save_profile(client, language="gl")
    client.post(reverse("accounts:logout"))
    page = client.get(reverse("accounts:login"))
    assert '<html lang="gl">' in page.content.decode()


def test_an_unknown_language_is_refused(client_for, ana):
    response = save_profile(client_for(ana), language="fr")
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    ana.refresh_from_db()
    assert ana.language == "en"


def test_the_profile_lists_the_last_ten_sign_ins_with_ip_and_result(client, ana):
    for attempt in range(6):
        client.post(
            reverse("accounts:login"),
            {"email": ana.email, "password": PASSWORD},
            REMOTE_ADDR=f"192.0.2.{attempt}",
        )
        client.post(reverse("accounts:logout"))
    client.post(
        reverse("accounts:login"), {"email": ana.email, "password": "wrong"}, REMOTE_ADDR="192.0.2.99"
    )
    client.post(
        reverse("accounts:login"), {"email": ana.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.50"
    )
    logins = list(client.get(PROFILE).context["recent_logins"])
    assert len(logins) == 8
    assert logins[0].details["ip"] == "192.0.2.50"
    assert logins[1].outcome == "failure"
    assert all(entry.action.startswith("login.") for entry in logins)


def test_the_profile_shows_at_most_ten_sign_ins(client_for, ana):
    for _ in range(12):
        audit.record("login.succeeded", actor=ana)
    assert len(client_for(ana).get(PROFILE).context["recent_logins"]) == 10


def test_the_profile_offers_to_set_up_two_factor_when_it_is_off(client_for, ana):
    page = client_for(ana).get(PROFILE).content.decode()
    assert reverse("accounts:two_factor_setup") in page
    assert reverse("accounts:two_factor_disable") not in page
