"""Audit history shared by every tracked model.

History rows outlive the people in them: the actor is a nullable foreign key (kept by
django-simple-history with SET_NULL) *and* a copy of the actor's name taken when the row is
written, so an audit still reads "who" after an account is deleted or anonymised.
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history


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


def bulk_create_audited(model, objs, *, actor, reason="", batch_size=500):
    """Bulk insert with one history row per object, as a single save would write."""
    for obj in objs:
        with_actor(obj, actor, reason)
    return bulk_create_with_history(
        objs,
        model,
        batch_size=batch_size,
        default_user=actor,
        default_change_reason=reason,
        custom_historical_attrs={"history_actor_name": actor_name(actor)},
    )
