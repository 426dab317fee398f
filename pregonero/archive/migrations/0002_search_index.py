"""Full-text index of the archive over ``search_text`` (see pregonero/archive/search_text.py).

SQLite: a contentless FTS5 table ``archive_search`` (columns ``words`` and ``terms``, the two
lines of ``search_text``), kept in step by triggers on insert, on a change of ``search_text``
and on delete. PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` over the
same two lines (words weighted A, terms B) with the 'simple' configuration, and a GIN index.
Existing records get their ``search_text`` rebuilt in the new two-line form first.
"""

from django.db import migrations

WORDS = "CASE WHEN instr({s}, char(10)) > 0 THEN substr({s}, 1, instr({s}, char(10)) - 1) ELSE {s} END"
TERMS = "CASE WHEN instr({s}, char(10)) > 0 THEN substr({s}, instr({s}, char(10)) + 1) ELSE {s} END"


def _split(row: str) -> str:
    return f"{WORDS.format(s=row)}, {TERMS.format(s=row)}"


SQLITE_UP = [
    "CREATE VIRTUAL TABLE archive_search USING fts5("
    "words, terms, content='', tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER archive_search_insert AFTER INSERT ON archive_archiverecord
    WHEN new.search_text != '' BEGIN
      INSERT INTO archive_search(rowid, words, terms) VALUES (new.id, {_split("new.search_text")});
    END""",
    f"""CREATE TRIGGER archive_search_update AFTER UPDATE OF search_text ON archive_archiverecord BEGIN
      INSERT INTO archive_search(archive_search, rowid, words, terms)
        SELECT 'delete', old.id, {_split("old.search_text")} WHERE old.search_text != '';
      INSERT INTO archive_search(rowid, words, terms)
        SELECT new.id, {_split("new.search_text")} WHERE new.search_text != '';
    END""",
    f"""CREATE TRIGGER archive_search_delete AFTER DELETE ON archive_archiverecord
    WHEN old.search_text != '' BEGIN
      INSERT INTO archive_search(archive_search, rowid, words, terms)
        VALUES ('delete', old.id, {_split("old.search_text")});
    END""",
    f"""INSERT INTO archive_search(rowid, words, terms)
    SELECT id, {_split("search_text")} FROM archive_archiverecord WHERE search_text != ''""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS archive_search_insert",
    "DROP TRIGGER IF EXISTS archive_search_update",
    "DROP TRIGGER IF EXISTS archive_search_delete",
    "DROP TABLE IF EXISTS archive_search",
]
POSTGRESQL_UP = [
    """ALTER TABLE archive_archiverecord ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\\n', 1)), 'A')
      || setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\\n', 2)), 'B')
    ) STORED""",
    "CREATE INDEX archive_search_vector ON archive_archiverecord USING gin (search_vector)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS archive_search_vector",
    "ALTER TABLE archive_archiverecord DROP COLUMN IF EXISTS search_vector",
]


def rebuild_search_text(apps, schema_editor):
    from pregonero.archive.search_text import searchable

    Record = apps.get_model("archive", "ArchiveRecord")
    rows = Record.objects.filter(destroyed_at=None).values_list("pk", "text", "author", "language")
    for pk, text, author, language in rows.iterator(chunk_size=2000):
        Record.objects.filter(pk=pk).update(search_text=searchable(text, author, language))


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}),
        ),
    ]
