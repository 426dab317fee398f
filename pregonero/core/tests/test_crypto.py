"""Secrets at rest: Fernet encryption, key rotation, and the encrypted model field."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from pregonero import crypto
from pregonero.accounts.models import TOTPDevice
from pregonero.audit.models import AuditEntry
from pregonero.env import ConfigError

OLD_KEY = crypto.generate_key()
NEW_KEY = crypto.generate_key()


def raw_secret(device: TOTPDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret FROM {TOTPDevice._meta.db_table} WHERE id = %s", [device.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_encrypt_then_decrypt_gives_the_plaintext_back(settings):
    settings.ENCRYPTION_KEYS = [NEW_KEY]
    token = crypto.encrypt("seed ñ")
    assert token != "seed ñ"
    assert crypto.decrypt(token) == "seed ñ"


def test_an_old_key_still_decrypts_after_a_new_one_is_added(settings):
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    token = crypto.encrypt("seed")
    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.decrypt(token) == "seed"


def test_rotation_makes_the_old_key_unnecessary(settings):
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    token = crypto.encrypt("seed")
    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotated = crypto.rotate(token)
    settings.ENCRYPTION_KEYS = [NEW_KEY]
    assert crypto.decrypt(rotated) == "seed"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_a_value_no_key_opens_is_a_decryption_error(settings):
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    token = crypto.encrypt("seed")
    settings.ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(crypto.DecryptionError):
        crypto.rotate(token)


def test_a_malformed_key_is_a_config_error_saying_which(settings):
    settings.ENCRYPTION_KEYS = [NEW_KEY, "not-a-key"]
    with pytest.raises(ConfigError, match="key number 2"):
        crypto.encrypt("seed")


def test_the_field_stores_ciphertext_and_reads_plaintext(ana, settings):
    settings.ENCRYPTION_KEYS = [NEW_KEY]
    device = TOTPDevice.objects.create(person=ana, secret="JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in raw_secret(device)
    assert crypto.decrypt(raw_secret(device)) == "JBSWY3DPEHPK3PXP"
    assert TOTPDevice.objects.get(pk=device.pk).secret == "JBSWY3DPEHPK3PXP"


def test_rotate_keys_reencrypts_every_stored_value_with_the_newest_key(ana, settings):
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    device = TOTPDevice.objects.create(person=ana, secret="JBSWY3DPEHPK3PXP")
    before = raw_secret(device)
    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    output = io.StringIO()
    call_command("rotate_keys", stdout=output)
    assert "accounts.TOTPDevice.secret: 1 value(s)" in output.getvalue()
    settings.ENCRYPTION_KEYS = [NEW_KEY]
    assert raw_secret(device) != before
    assert TOTPDevice.objects.get(pk=device.pk).secret == "JBSWY3DPEHPK3PXP"
    assert AuditEntry.objects.filter(action="encryption.keys_rotated").exists()
