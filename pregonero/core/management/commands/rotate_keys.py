"""Re-encrypt every stored secret with the newest key in ENCRYPTION_KEYS."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from pregonero.audit import services as audit
from pregonero.crypto import DecryptionError, EncryptedTextField, rotate


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) pair stored with EncryptedTextField, in any installed app."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def rotate_field(model: type[models.Model], field: EncryptedTextField) -> int:
    """Re-encrypt one column in place and return how many values changed.

    The ciphertext is read and written with plain SQL: going through the ORM would
    decrypt on read and encrypt on write, which is the same result at twice the cost
    and would hide which rows no key opens.
    """
    quote = connection.ops.quote_name
    table, column, pk = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for key, token in rows:
            try:
                fresh = rotate(token)
            except DecryptionError as exc:
                raise CommandError(
                    f"{model._meta.label}.{field.name} of row {key} cannot be decrypted with any key "
                    "in ENCRYPTION_KEYS; nothing was changed. Add the old key back and retry."
                ) from exc
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [fresh, key])  # noqa: S608
    return len(rows)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first key of ENCRYPTION_KEYS. "
        "Afterwards the older keys may be removed from ENCRYPTION_KEYS."
    )

    def handle(self, *args, **options) -> None:
        total = 0
        # One transaction: either every value is under the new key or none is.
        counts = {}
        with transaction.atomic():
            for model, field in encrypted_fields():
                count = rotate_field(model, field)
                counts[f"{model._meta.label}.{field.name}"] = count
                total += count
                self.stdout.write(f"{model._meta.label}.{field.name}: {count} value(s) re-encrypted")
            audit.record("encryption.keys_rotated", details=counts, actor_label="command line (rotate-keys)")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} value(s) now use the newest key."))
