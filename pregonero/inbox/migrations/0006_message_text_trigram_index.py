"""On PostgreSQL, a trigram index on the upper-cased text of messages, so the inbox's text
search (``UPPER(text) LIKE UPPER('%words%')``, Django's ``icontains``) does not read every
message. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
Nothing on SQLite."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS inbox_message_text_trgm ON inbox_message"
    " USING gin (UPPER(text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS inbox_message_text_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("inbox", "0005_saved_views_and_latest_index")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
