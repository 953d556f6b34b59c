"""Audit history shared by every tracked model.

History rows outlive the people in them: the actor is a nullable foreign key (kept by
django-simple-history with SET_NULL) *and* a copy of the actor's name taken when the row is
written, so an audit still reads "who" after an account is deleted or anonymised.
"""

from django.db import connections, models, router, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_model_for_model

from .bulk import insert_objects, insert_rows


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


# django-simple-history's change reason is a 100-character column: PostgreSQL refuses a
# longer one (SQLite does not check), and a note may be longer. The whole note is kept where
# it belongs (a move's note, an allocation's closing note); the history row keeps its start.
CHANGE_REASON_LENGTH = 100


def with_actor(instance, actor, reason=""):
    """Mark ``instance`` so its next history row names ``actor`` and ``reason``.

    Services call this before ``save()`` so that the actor is explicit on every path (views,
    API, commands), not guessed from a request that a command does not have.
    """
    instance._history_user = actor
    if reason:
        instance._change_reason = change_reason(reason)
    return instance


def change_reason(reason):
    return Truncator(str(reason)).chars(CHANGE_REASON_LENGTH)


def bulk_create_audited(model, objs, *, actor, reason=""):
    """Bulk insert with one history row per object, as a single save would write.

    The objects and their history rows are written column by column (``core.bulk``); the
    history rows get the values django-simple-history's ``bulk_history_create`` gives them
    (type "+", the date, the actor and their name, ``reason`` as the change reason), without
    building a historical instance per row first, which cost more than every INSERT
    together. All in one transaction.
    """
    objs = list(objs)
    for obj in objs:
        with_actor(obj, actor, reason)
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    with transaction.atomic(using=connection.alias, savepoint=False):
        now = timezone.now()
        insert_objects(connection, model, objs, now)
        _insert_history(connection, model, objs, actor=actor, reason=reason, now=now)
    return objs


def _insert_history(connection, model, objs, *, actor, reason, now):
    """One "+" history row per object, as ``bulk_history_create`` writes them."""
    history_model = get_history_model_for_model(model)
    same_for_all = {
        "history_date": now,
        "history_change_reason": change_reason(reason),
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
    insert_rows(connection, history_model, fields, columns, returning=False)
