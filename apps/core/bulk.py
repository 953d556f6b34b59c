"""Bulk inserts faster than ``bulk_create`` for the import's thousands of rows.

The rows are given column by column and each value is prepared once per distinct value by
its field: Django's ``bulk_create`` compiles every value of every row and, on SQLite, stops
at 999 parameters per statement (~50 rows). Here statements are sized by SQLite's real
parameter limit, and PostgreSQL gets one statement of one array per column.
"""

import sqlite3

from django.db import models


def insert_objects(connection, model, objs, now):
    """What ``bulk_create(objs)`` does for new objects with an automatic primary key."""
    connection.ensure_connection()
    opts = model._meta
    if not isinstance(opts.pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise NotImplementedError("models without an automatic primary key")
    fields = [f for f in opts.concrete_fields if f is not opts.pk]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    columns = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # What pre_save() does, with one time for the whole batch.
            for obj in objs:
                setattr(obj, field.attname, now)
            columns.append([now] * len(objs))
        elif type(field).pre_save is not models.Field.pre_save and not isinstance(field, models.DateField):
            columns.append([field.pre_save(obj, True) for obj in objs])  # e.g. a file to store
        else:
            attname = field.attname
            columns.append([getattr(obj, attname) for obj in objs])
    pks = insert_rows(connection, model, fields, columns)
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def _max_params(connection):
    if connection.vendor == "sqlite":
        # The real limit of the SQLite library (32,766 since 3.32), not Django's cautious 999.
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65_535


def _prepared(connection, field, values):
    """``field.get_db_prep_save()`` of each value, computed once per distinct value."""
    prepare = field.get_db_prep_save
    cache = {}
    out = []
    for value in values:
        try:
            key = (type(value), value)
            out.append(cache[key])
        except KeyError:
            out.append(cache.setdefault(key, prepare(value, connection)))
        except TypeError:  # unhashable
            out.append(prepare(value, connection))
    return out


def insert_rows(connection, model, fields, columns, *, returning=True):
    """INSERT the rows given column by column; return their new primary keys, in order
    (with ``returning``)."""
    if any(hasattr(field, "get_placeholder") for field in fields):
        raise NotImplementedError("fields with custom placeholders")
    quote = connection.ops.quote_name
    prepared = [_prepared(connection, field, column) for field, column in zip(fields, columns, strict=True)]
    head = "INSERT INTO {} ({}) ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    pk = model._meta.pk
    tail = ""
    if returning:
        if not connection.features.can_return_rows_from_bulk_insert:
            raise NotImplementedError("this database cannot return the inserted keys")
        tail = " " + connection.ops.return_insert_columns([pk])[0]
    if connection.vendor == "postgresql" and all(
        (f.target_field if f.is_relation else f).get_internal_type() in connection.data_types for f in fields
    ):
        # One array per column, as Django's own bulk insert does on PostgreSQL: one
        # statement, one parameter per column, a plan that does not depend on the row count.
        arrays = ", ".join("(%s)::{}[]".format(f.db_type(connection).split("(")[0]) for f in fields)
        statements = [(head + f"SELECT * FROM UNNEST({arrays})" + tail, prepared)]
    else:
        rows = list(zip(*prepared, strict=True))
        per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        batch = max(1, min(_max_params(connection) // max(len(fields), 1), 5_000))
        statements = [
            (
                head + "VALUES " + ", ".join([per_row] * len(rows[start : start + batch])) + tail,
                [value for row in rows[start : start + batch] for value in row],
            )
            for start in range(0, len(rows), batch)
        ]
    converters = pk.get_db_converters(connection)
    pks = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if not returning:
                continue
            for (value,) in cursor.fetchall():
                for converter in converters:
                    value = converter(value, pk, connection)
                pks.append(value)
    return pks
