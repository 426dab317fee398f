"""The second factor: TOTP codes from an authenticator app, single-use recovery codes, the QR code.

Secrets and codes are checked here and nowhere else. The only database writes are the two
conditional updates that make a TOTP time step and a recovery code usable exactly once,
even with many web processes answering at the same time.
"""

from __future__ import annotations

import hashlib
import re
import secrets

import pyotp
import segno
from django.utils import timezone

from pregonero.accounts.models import Person, RecoveryCode, TOTPDevice

ISSUER = "Pregonero"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper and typed by hand.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
TOTP_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """Inline SVG of ``uri`` with a ``<title>``, no XML declaration and no ``style`` attribute.

    The page's Content-Security-Policy forbids inline styles, so size comes from the
    ``qr-code`` CSS class and colours from presentation attributes.
    """
    return segno.make(uri, error="m").svg_inline(
        svgclass="qr-code", lineclass=None, omitsize=True, title=title, dark="#000", light="#fff"
    )


def grouped(secret: str, size: int = 4) -> str:
    """``ABCDEFGH...`` as ``ABCD EFGH ...`` so it can be typed by hand."""
    return " ".join(secret[index : index + size] for index in range(0, len(secret), size))


def _normalise_code(code: str) -> str:
    return re.sub(r"\s", "", code or "")


def verify_totp(device: TOTPDevice, code: str) -> bool:
    """True when ``code`` is valid now (one step of clock drift either way) and never used before.

    A code's time step is accepted once: it must be later than ``device.last_counter``,
    and the step is stored with a conditional UPDATE so two requests racing with the
    same code cannot both win.
    """
    code = _normalise_code(code)
    if not TOTP_CODE.match(code):
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step <= device.last_counter:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            claimed = TOTPDevice.objects.filter(pk=device.pk, last_counter__lt=step).update(last_counter=step)
            if claimed:
                device.last_counter = step
            return bool(claimed)
    return False


def hash_recovery_code(code: str) -> str:
    """SHA-256 of the code as typed, ignoring case, spaces and hyphens."""
    normalised = re.sub(r"[\s-]", "", code or "").lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def generate_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Random codes shaped ``xxxx-xxxx`` (about 40 bits each)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(8))
        codes.append(f"{raw[:4]}-{raw[4:]}")
    return codes


def replace_recovery_codes(person: Person) -> list[str]:
    """Invalidate every recovery code of ``person`` and return new ones; only their hashes are kept."""
    codes = generate_recovery_codes()
    RecoveryCode.objects.filter(person=person).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(person=person, code_hash=hash_recovery_code(code)) for code in codes
    )
    return codes


def use_recovery_code(person: Person, code: str) -> bool:
    """Spend one unused recovery code of ``person``; True when ``code`` was one."""
    if not re.sub(r"[\s-]", "", code or ""):
        return False
    return bool(
        RecoveryCode.objects.filter(
            person=person, code_hash=hash_recovery_code(code), used_at__isnull=True
        ).update(used_at=timezone.now())
    )


def unused_recovery_codes(person: Person) -> int:
    return RecoveryCode.objects.filter(person=person, used_at__isnull=True).count()
