"""The second factor: setting it up, signing in with it, recovery codes, and organisations that require it."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.accounts import auth_services, mfa
from pregonero.accounts.models import Organisation, RecoveryCode, TOTPDevice
from pregonero.audit.models import AuditEntry
from pregonero.conftest import PASSWORD

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:login_verify")
SETUP = reverse("accounts:two_factor_setup")
CODES = reverse("accounts:recovery_codes")
DISABLE = reverse("accounts:two_factor_disable")


@pytest.fixture
def device(ana) -> TOTPDevice:
    return TOTPDevice.objects.create(person=ana, secret=pyotp.random_base32(), confirmed_at=timezone.now())


@pytest.fixture
def codes(ana, device) -> list[str]:
    return mfa.replace_recovery_codes(ana)


def current_code(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).now()


def wrong_code(device: TOTPDevice) -> str:
    totp = pyotp.TOTP(device.secret)
    step = totp.timecode(timezone.now())
    valid = {totp.generate_otp(step + offset) for offset in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in valid)


def password_step(client, person):
    return client.post(LOGIN, {"email": person.email, "password": PASSWORD})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def require_two_factor(organisation: Organisation) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(require_two_factor=True)


def test_a_confirmed_device_means_the_password_alone_does_not_sign_in(client, ana, device):
    response = password_step(client, ana)
    assert response.url == VERIFY
    assert signed_in_as(client) is None


def test_the_code_page_asks_for_a_one_time_code_with_a_numeric_keyboard(client, ana, device):
    password_step(client, ana)
    page = client.get(VERIFY).content.decode()
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page


def test_the_right_code_completes_the_sign_in(client, ana, device):
    password_step(client, ana)
    client.post(VERIFY, {"code": current_code(device)})
    assert signed_in_as(client) == str(ana.pk)
    entry = AuditEntry.objects.get(action="login.succeeded")
    assert entry.details["method"] == "password+totp"


def test_a_wrong_code_is_refused_and_audited(client, ana, device):
    password_step(client, ana)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert signed_in_as(client) is None
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor == ana
    assert entry.details["stage"] == "totp"


def test_a_code_is_accepted_only_once(client, ana, device):
    code = current_code(device)
    password_step(client, ana)
    client.post(VERIFY, {"code": code})
    client.post(reverse("accounts:logout"))
    password_step(client, ana)
    client.post(VERIFY, {"code": code})
    assert signed_in_as(client) is None


def test_verify_totp_remembers_the_accepted_time_step(device):
    assert mfa.verify_totp(device, current_code(device))
    device.refresh_from_db()
    assert device.last_counter == pyotp.TOTP(device.secret).timecode(timezone.now())


def test_a_code_from_the_previous_time_step_is_still_accepted(device):
    assert mfa.verify_totp(device, pyotp.TOTP(device.secret).at(time.time() - 30))


def test_a_code_two_steps_old_is_refused(device):
    assert not mfa.verify_totp(device, pyotp.TOTP(device.secret).at(time.time() - 61))


def test_wrong_codes_count_towards_the_throttle(client, ana, device):
    password_step(client, ana)
    for _ in range(auth_services.MAX_FAILURES):
        client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert signed_in_as(client) is None
    assert "Too many failed attempts" in str(response.context["totp_form"].non_field_errors())


def test_the_code_step_expires_after_five_minutes(client, ana, device):
    password_step(client, ana)
    session = client.session
    session[auth_services.PENDING_AT] -= auth_services.PENDING_SECONDS + 1
    session.save()
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.url == LOGIN
    assert signed_in_as(client) is None


def test_the_code_page_without_a_password_step_sends_to_the_login_page(client, db):
    assert client.get(VERIFY).url == LOGIN


def test_a_recovery_code_signs_in_once(client, ana, codes):
    password_step(client, ana)
    client.post(VERIFY, {"recovery_code": codes[0].upper()})
    assert signed_in_as(client) == str(ana.pk)
    assert AuditEntry.objects.get(action="login.succeeded").details["method"] == "password+recovery_code"
    client.post(reverse("accounts:logout"))
    password_step(client, ana)
    client.post(VERIFY, {"recovery_code": codes[0]})
    assert signed_in_as(client) is None


def test_recovery_codes_are_stored_only_as_hashes(ana, codes):
    stored = set(RecoveryCode.objects.filter(person=ana).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)
    assert mfa.hash_recovery_code(codes[0]) in stored


def test_recovery_codes_use_an_unambiguous_alphabet(db):
    for code in mfa.generate_recovery_codes(50):
        assert re.fullmatch(r"[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}", code)


def test_the_next_address_survives_the_code_step(client, ana, device):
    client.post(LOGIN, {"email": ana.email, "password": PASSWORD, "next": "/accounts/profile/"})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.url == "/accounts/profile/"


def test_the_setup_page_shows_a_qr_code_without_inline_styles_and_the_key_in_groups(client_for, ana):
    page = client_for(ana).get(SETUP).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "style" not in svg
    assert "<title>" in svg
    secret = TOTPDevice.objects.get(person=ana).secret
    assert " ".join(re.findall(".{1,4}", secret)) in page


def test_reloading_the_setup_page_keeps_the_same_secret(client_for, ana):
    client = client_for(ana)
    client.get(SETUP)
    first = TOTPDevice.objects.get(person=ana).secret
    client.get(SETUP)
    assert TOTPDevice.objects.get(person=ana).secret == first


def test_confirming_with_the_right_code_turns_two_factor_on_and_shows_ten_codes(client_for, ana):
    client = client_for(ana)
    client.get(SETUP)
    device = TOTPDevice.objects.get(person=ana)
    response = client.post(SETUP, {"code": current_code(device)})
    assert len(response.context["codes"]) == 10
    assert "no-store" in response["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert AuditEntry.objects.filter(action="two_factor.enabled", actor=ana).exists()


def test_confirming_with_a_wrong_code_leaves_two_factor_off(client_for, ana):
    client = client_for(ana)
    client.get(SETUP)
    device = TOTPDevice.objects.get(person=ana)
    client.post(SETUP, {"code": wrong_code(device)})
    device.refresh_from_db()
    assert device.confirmed_at is None


def test_new_recovery_codes_need_the_password(client_for, ana, codes):
    response = client_for(ana).post(CODES, {"password": "not it"})
    assert "codes" not in response.context
    assert RecoveryCode.objects.filter(code_hash=mfa.hash_recovery_code(codes[0])).exists()


def test_new_recovery_codes_invalidate_the_old_ones(client_for, ana, codes):
    response = client_for(ana).post(CODES, {"password": PASSWORD})
    assert len(response.context["codes"]) == 10
    assert not mfa.use_recovery_code(ana, codes[0])
    assert mfa.use_recovery_code(ana, response.context["codes"][0])
    assert AuditEntry.objects.filter(action="two_factor.recovery_codes_regenerated").exists()


def test_two_factor_can_be_turned_off_with_the_password_when_not_required(client_for, ana, codes):
    client_for(ana).post(DISABLE, {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(person=ana).exists()
    assert not RecoveryCode.objects.filter(person=ana).exists()
    assert AuditEntry.objects.filter(action="two_factor.disabled", outcome="success").exists()


def test_turning_two_factor_off_needs_the_password(client_for, ana, device):
    client_for(ana).post(DISABLE, {"password": "not it"})
    assert TOTPDevice.objects.filter(person=ana).exists()


def test_turning_two_factor_off_is_refused_when_an_organisation_requires_it(
    client_for, ana, vilanova, device
):
    require_two_factor(vilanova)
    response = client_for(ana).post(DISABLE, {"password": PASSWORD})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(person=ana).exists()
    assert AuditEntry.objects.filter(action="two_factor.disabled", outcome="denied").exists()


@pytest.mark.parametrize(
    "name", ["core:home", "accounts:profile", "accounts:password_change", "accounts:recovery_codes"]
)
def test_a_member_of_an_organisation_requiring_two_factor_is_sent_to_set_it_up(
    client_for, ana, vilanova, name
):
    require_two_factor(vilanova)
    assert client_for(ana).get(reverse(name)).url == SETUP


def test_the_setup_page_and_signing_out_stay_reachable_when_two_factor_is_required(client_for, ana, vilanova):
    require_two_factor(vilanova)
    client = client_for(ana)
    assert client.get(SETUP).status_code == 200
    client.post(reverse("accounts:logout"))
    assert signed_in_as(client) is None


def test_once_set_up_under_the_requirement_the_codes_page_and_the_rest_open(client_for, ana, vilanova):
    require_two_factor(vilanova)
    client = client_for(ana)
    client.get(SETUP)
    response = client.post(SETUP, {"code": current_code(TOTPDevice.objects.get(person=ana))})
    assert response.status_code == 200
    assert client.get(CODES).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_people_in_organisations_without_the_requirement_are_not_sent_to_set_it_up(client_for, oscar):
    assert client_for(oscar).get(reverse("accounts:profile")).status_code == 200
