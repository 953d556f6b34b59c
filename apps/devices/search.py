"""The device list's text search: a piece of a tag, serial number, brand or model.

Searching inside words (``%term%``) cannot use an ordinary index: at the scale of a
metropolis every search read all 100,000 devices, twice (the page and its count). Each
database gets a trigram index instead, made by migration ``0004``:

- PostgreSQL: a GIN ``pg_trgm`` index on the searched text, which ``LIKE '%term%'`` uses;
- SQLite: an FTS5 table with the ``trigram`` tokenizer, kept up to date by triggers.

Both find a term of three characters or more through the index; a shorter one (rare: "HP")
is matched by a plain scan, as before.
"""

from django.db import connection
from django.db.models import F, Func, TextField
from django.db.models.expressions import RawSQL

SEARCHED = ("asset_tag", "serial_number", "brand", "model")
# The searched text, written the same way in the index and in the query, so PostgreSQL
# recognises the index's expression.
_JOINED = " || ' ' || ".join(SEARCHED)
SEARCH_TEXT_SQL = f"lower({_JOINED})"
FTS_TABLE = "devices_device_search"
TRIGRAM = 3


def search_text():
    return Func(
        *(F(name) for name in SEARCHED),
        arg_joiner=" || ' ' || ",
        template="lower(%(expressions)s)",
        output_field=TextField(),
    )


def matching(queryset, text):
    """The devices of ``queryset`` whose tag, serial number, brand or model contains ``text``
    (case ignored)."""
    text = " ".join(text.split()).lower()
    if not text:
        return queryset
    if connection.vendor == "sqlite" and len(text) >= TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        return queryset.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrase])
        )
    return queryset.alias(search_text=search_text()).filter(search_text__contains=text)


# Migration 0004 ------------------------------------------------------------------------------

_SQLITE_ROW = " || ' ' || ".join(f"new.{name}" for name in SEARCHED)
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, tokenize = 'trigram case_sensitive 0')",
    f"INSERT INTO {FTS_TABLE} (rowid, text) SELECT id, {_JOINED} FROM devices_device",
    f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON devices_device BEGIN
        INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, {_SQLITE_ROW});
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {", ".join(SEARCHED)} ON devices_device BEGIN
        UPDATE {FTS_TABLE} SET text = {_SQLITE_ROW} WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON devices_device BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
    END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{event}" for event in ("insert", "update", "delete")] + [
    f"DROP TABLE IF EXISTS {FTS_TABLE}"
]

POSTGRESQL_CREATE = [
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX device_search_trgm ON devices_device USING gin (({SEARCH_TEXT_SQL}) gin_trgm_ops)",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS device_search_trgm"]


def create_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE})


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
