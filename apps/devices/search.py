"""The device list's text search: a piece of a tag, serial number, brand or model.

Searching inside words (``%term%``) cannot use an ordinary index: at the scale of a
metropolis every search read all 100,000 devices, twice (the page and its count). Each
database gets a trigram index instead, made by migration ``devices.0004`` (which writes out
the same searched text as ``search_text()``):

- PostgreSQL: a GIN ``pg_trgm`` index on the searched text, which ``LIKE '%term%'`` uses;
- SQLite: an FTS5 table with the ``trigram`` tokenizer, kept up to date by triggers.

Both find a term of three characters or more through the index; a shorter one (rare: "HP")
is matched by a plain scan, as before.
"""

from django.db import connection
from django.db.models import F, Func, TextField
from django.db.models.expressions import RawSQL

SEARCHED = ("asset_tag", "serial_number", "brand", "model")
FTS_TABLE = "devices_device_search"
TRIGRAM = 3


def search_text():
    """``lower(asset_tag || ' ' || serial_number || ' ' || brand || ' ' || model)``: written as
    the index of migration ``devices.0004`` has it, so PostgreSQL recognises the expression."""
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
