"""Encryption of secrets at rest (tokens, authenticator seeds) with key rotation.

``ENCRYPTION_KEYS`` lists Fernet keys newest first: the first encrypts, all decrypt.
``pregonero rotate-keys`` (the rotate_keys management command) re-encrypts stored values with the newest.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

from pregonero.env import ConfigError


class DecryptionError(Exception):
    """A stored secret could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for position, key in enumerate((key.strip() for key in keys if key.strip()), start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError) as exc:
            raise ConfigError(
                f"ENCRYPTION_KEYS key number {position} is not a Fernet key "
                "(32 bytes in URL-safe base64, 44 characters); see docs/admin.md."
            ) from exc
    if not fernets:
        raise ConfigError("ENCRYPTION_KEYS is empty; see docs/admin.md.")
    return MultiFernet(fernets)


def fernet() -> MultiFernet:
    """The configured keys: the first encrypts, every one decrypts. Bad keys are a ConfigError."""
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def generate_key() -> str:
    """A new random key, in the form ``ENCRYPTION_KEYS`` expects."""
    return Fernet.generate_key().decode("ascii")


def encrypt(plaintext: str) -> str:
    """Encrypt with the newest key."""
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt with whichever configured key opens ``token``, else raise DecryptionError."""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("No configured encryption key opens this value.") from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the newest key, else raise DecryptionError."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("No configured encryption key opens this value.") from exc


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code only ever sees plaintext."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
