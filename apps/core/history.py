"""Audit history shared by every tracked model.

History rows outlive the people in them: the actor is a nullable foreign key (kept by
django-simple-history with SET_NULL) *and* a copy of the actor's name taken when the row is
written, so an audit still reads "who" after an account is deleted or anonymised.
"""

import sqlite3

from django.db import connections, models, router, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_model_for_model


class AuditFields(models.Model):
    history_actor_name = models.CharField(_("actor name"), max_length=150, blank=True, default="")

    class Meta:
        abstract = True


def audited_history(**kwargs):
    """``HistoricalRecords`` with the actor's name kept beside the actor."""
    return HistoricalRecords(bases=[AuditFields], **kwargs)


def actor_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@receiver(pre_create_historical_record)
def copy_actor_name(sender, history_instance, history_user=None, **kwargs):
    if hasattr(history_instance, "history_actor_name"):
        history_instance.history_actor_name = actor_name(history_user)


def with_actor(instance, actor, reason=""):
    """Mark ``instance`` so its next history row names ``actor`` and ``reason``.

    Services call this before ``save()`` so that the actor is explicit on every path (views,
    API, commands), not guessed from a request that a command does not have.
    """
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


def bulk_create_audited(model, objs, *, actor, reason=""):
    """Bulk insert with one history row per object, as a single save would write.

    The objects are written with multi-row INSERTs sized by the database's real parameter
    limit, each value prepared once per distinct value by its field: Django's
    ``bulk_create`` compiles every value of every row and, on SQLite, stops at 999
    parameters per statement (~50 rows). Their history rows are written the same way,
    column by column, with the values django-simple-history's ``bulk_history_create``
    gives them (type "+", the date, the actor and their name, ``reason`` as the change
    reason), without building a historical instance per row first, which cost more than
    every INSERT together. All in one transaction.
    """
    objs = list(objs)
    for obj in objs:
        with_actor(obj, actor, reason)
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    with transaction.atomic(using=connection.alias, savepoint=False):
        now = timezone.now()
        _insert_objects(connection, model, objs, now)
        _insert_history(connection, model, objs, actor=actor, reason=reason, now=now)
    return objs


def _insert_history(connection, model, objs, *, actor, reason, now):
    """One "+" history row per object, as ``bulk_history_create`` writes them."""
    history_model = get_history_model_for_model(model)
    same_for_all = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": actor.pk if actor is not None else None,
        "history_actor_name": actor_name(actor),
    }
    tracked = {field.attname for field in history_model.tracked_fields}
    fields, columns = [], []
    for field in history_model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in tracked:
            columns.append([getattr(obj, field.attname) for obj in objs])
        elif field.attname in same_for_all:
            columns.append([same_for_all[field.attname]] * len(objs))
        else:
            raise NotImplementedError(f"history field {field.attname} has no value here")
        fields.append(field)
    _insert_rows(connection, history_model, fields, columns, returning=False)


def _insert_objects(connection, model, objs, now):
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
    pks = _insert_rows(connection, model, fields, columns)
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


def _insert_rows(connection, model, fields, columns, *, returning=True):
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
