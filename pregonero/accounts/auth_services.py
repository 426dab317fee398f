"""Signing in and a person's own account: attempts and throttling, the second factor, last access,
password events and the profile. Every action here leaves an audit entry (RULES.md GOV-2, GOV-3).

Throttling counts failed attempts in the audit log itself, so it holds with any number of
web processes and needs no shared memory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from pregonero.accounts import mfa
from pregonero.accounts.middleware import SESSION_SEEN, SESSION_STARTED, two_factor_required
from pregonero.accounts.models import Person, TOTPDevice
from pregonero.audit import services as audit
from pregonero.audit.models import AuditEntry, Outcome

LOGIN_SUCCEEDED = "login.succeeded"
LOGIN_FAILED = "login.failed"
LOGIN_THROTTLED = "login.throttled"
LOGIN_ACTIONS = (LOGIN_SUCCEEDED, LOGIN_FAILED, LOGIN_THROTTLED)

MAX_FAILURES = 5
# A whole town hall may reach Pregonero from one address, so an address gets more room
# than one account before it is paused.
MAX_FAILURES_PER_IP = 20
FAILURE_WINDOW = timedelta(minutes=15)
# How long the password step stays valid while the person looks for their second factor.
PENDING_SECONDS = 5 * 60

PENDING_PERSON = "pregonero_pending_person"
PENDING_AT = "pregonero_pending_at"
PENDING_NEXT = "pregonero_pending_next"

PROFILE_FIELDS = ["full_name", "language"]


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def is_throttled(email: str, ip: str) -> bool:
    """True when ``email`` had ``MAX_FAILURES`` failed attempts in the last ``FAILURE_WINDOW``,
    or ``ip`` had ``MAX_FAILURES_PER_IP``."""
    recent = AuditEntry.objects.filter(action=LOGIN_FAILED, at__gte=timezone.now() - FAILURE_WINDOW)
    if email and recent.filter(actor_label=email).count() >= MAX_FAILURES:
        return True
    return bool(ip) and recent.filter(details__ip=ip).count() >= MAX_FAILURES_PER_IP


def _record_failure(request: HttpRequest, email: str, *, person: Person | None, stage: str) -> None:
    audit.record(
        LOGIN_FAILED,
        actor=person,
        actor_label=email,
        outcome=Outcome.FAILURE,
        details={"stage": stage},
        request=request,
    )


def _record_throttled(request: HttpRequest, email: str, *, stage: str) -> None:
    # Recorded as its own action: refused attempts must not extend the lock they were refused by.
    audit.record(
        LOGIN_THROTTLED,
        actor_label=email,
        outcome=Outcome.DENIED,
        details={"stage": stage},
        request=request,
    )


@dataclass(frozen=True)
class Attempt:
    """The result of one sign-in step: ``person`` is set only on success."""

    person: Person | None = None
    throttled: bool = False


def check_password(request: HttpRequest, email: str, password: str) -> Attempt:
    """First step: the password. Audits failures; never says whether ``email`` exists."""
    email = normalise_email(email)
    if is_throttled(email, _ip(request)):
        _record_throttled(request, email, stage="password")
        return Attempt(throttled=True)
    person = authenticate(request, username=email, password=password)
    if person is None:
        _record_failure(request, email, person=None, stage="password")
        return Attempt()
    return Attempt(person=person)


def check_second_factor(request: HttpRequest, person: Person, code: str, *, recovery: bool) -> Attempt:
    """Second step: a TOTP code, or one unused recovery code when ``recovery`` is true."""
    if is_throttled(person.email, _ip(request)):
        _record_throttled(request, person.email, stage="second_factor")
        return Attempt(throttled=True)
    device = TOTPDevice.objects.filter(person=person, confirmed_at__isnull=False).first()
    if recovery:
        accepted = mfa.use_recovery_code(person, code)
    else:
        accepted = device is not None and mfa.verify_totp(device, code)
    if not accepted:
        _record_failure(request, person.email, person=person, stage="recovery_code" if recovery else "totp")
        return Attempt()
    return Attempt(person=person)


def start_pending(request: HttpRequest, person: Person, next_url: str) -> None:
    """Remember, in the session, that ``person`` passed the password step just now."""
    request.session.cycle_key()
    request.session[PENDING_PERSON] = person.pk
    request.session[PENDING_AT] = int(time.time())
    request.session[PENDING_NEXT] = next_url


def clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_PERSON, PENDING_AT, PENDING_NEXT):
        request.session.pop(key, None)


def pending_person(request: HttpRequest) -> Person | None:
    """The person waiting for their second factor, or None when there is none or it expired."""
    person_id = request.session.get(PENDING_PERSON)
    started = request.session.get(PENDING_AT, 0)
    if person_id is None:
        return None
    if time.time() - started > PENDING_SECONDS:
        clear_pending(request)
        return None
    return Person.objects.filter(pk=person_id, is_active=True).first()


@dataclass(frozen=True)
class LastAccess:
    at: datetime
    ip: str
    failures_since: int


def last_access(person: Person) -> LastAccess | None:
    """The person's latest successful sign-in and the failed attempts naming them since."""
    entry = AuditEntry.objects.filter(action=LOGIN_SUCCEEDED, actor=person).order_by("-at", "-id").first()
    if entry is None:
        return None
    failures = AuditEntry.objects.filter(action=LOGIN_FAILED, actor_label=person.email, at__gt=entry.at)
    return LastAccess(at=entry.at, ip=entry.details.get("ip", ""), failures_since=failures.count())


def complete_login(request: HttpRequest, person: Person, *, method: str) -> LastAccess | None:
    """Sign ``person`` in (new session key), audit it, and return their previous access."""
    previous = last_access(person)
    clear_pending(request)
    auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    audit.record(LOGIN_SUCCEEDED, actor=person, request=request, details={"method": method})
    return previous


def recent_logins(person: Person, limit: int = 10) -> QuerySet[AuditEntry]:
    """Sign-ins of ``person`` and attempts made with their e-mail address, newest first."""
    return AuditEntry.objects.filter(
        Q(actor=person) | Q(actor__isnull=True, actor_label=person.email), action__in=LOGIN_ACTIONS
    ).order_by("-at", "-id")[:limit]


def record_logout(request: HttpRequest, person: Person) -> None:
    audit.record("logout", actor=person, request=request)


def start_two_factor_setup(person: Person) -> TOTPDevice:
    """The person's unconfirmed device, created with a new secret if there is none.

    The secret survives page reloads so an app that already scanned the code keeps working.
    """
    device, _created = TOTPDevice.objects.get_or_create(person=person, defaults={"secret": mfa.new_secret()})
    return device


@transaction.atomic
def confirm_two_factor(
    request: HttpRequest, person: Person, device: TOTPDevice, code: str
) -> list[str] | None:
    """Switch the device on if ``code`` is right; return the new recovery codes, or None."""
    if device.confirmed_at is not None or not mfa.verify_totp(device, code):
        return None
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    codes = mfa.replace_recovery_codes(person)
    audit.record("two_factor.enabled", actor=person, request=request)
    return codes


@transaction.atomic
def regenerate_recovery_codes(request: HttpRequest, person: Person) -> list[str]:
    """New recovery codes for ``person``; the old ones stop working. The caller checked the password."""
    codes = mfa.replace_recovery_codes(person)
    audit.record("two_factor.recovery_codes_regenerated", actor=person, request=request)
    return codes


def disable_two_factor(request: HttpRequest, person: Person) -> None:
    """Remove the device and recovery codes.

    Raises ``PermissionDenied`` when one of the person's organisations requires two-factor authentication.
    """
    if two_factor_required(person):
        # Outside the transaction below, so the refusal stays on record.
        audit.record("two_factor.disabled", actor=person, outcome=Outcome.DENIED, request=request)
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(person=person).delete()
        person.recovery_codes.all().delete()
        audit.record("two_factor.disabled", actor=person, request=request)


def record_password_changed(request: HttpRequest, person: Person) -> None:
    audit.record("password.changed", actor=person, request=request)


def record_reset_requested(request: HttpRequest, email: str) -> None:
    # The submitted address, whether or not anyone has it: the log must not tell either.
    audit.record("password.reset_requested", actor=None, actor_label=normalise_email(email), request=request)


def record_reset_completed(request: HttpRequest, person: Person) -> None:
    audit.record("password.reset_completed", actor=person, request=request)


@transaction.atomic
def update_profile(request: HttpRequest, person: Person, **values) -> dict[str, list]:
    """Save ``values`` (``PROFILE_FIELDS`` only) and return the audited changes."""
    before = audit.snapshot(person, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(person, name, values[name])
    person.save(update_fields=PROFILE_FIELDS)
    changes = audit.diff(before, audit.snapshot(person, PROFILE_FIELDS))
    if changes:
        audit.record("person.updated", actor=person, obj=person, changes=changes, request=request)
    return changes
