"""One timeline of a device's whole life, newest first.

Each app that records events about devices registers a provider here (the allocations app
adds hand-overs and returns), so the device page shows them without knowing those apps.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from .choices import DeviceStatus
from .models import Device, Erasure, Intervention, StatusChange


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    actor_name: str = ""


_providers = []


def register_provider(provider):
    """``provider(device) -> iterable of TimelineEvent``."""
    _providers.append(provider)
    return provider


def device_timeline(device: Device):
    events = [event for provider in _providers for event in provider(device)]
    return sorted(events, key=lambda event: event.at, reverse=True)


# What ``get_to_status_display()`` answers, without rebuilding the choices dictionary (and
# hashing every lazy label) on each call: a third of a 200-event device page went there.
STATUS_LABELS = dict(DeviceStatus.choices)


@register_provider
def status_events(device):
    for change in StatusChange.objects.filter(device=device):
        if change.from_status:
            title = _("Status: %(from)s → %(to)s") % {
                "from": STATUS_LABELS.get(change.from_status, change.from_status),
                "to": STATUS_LABELS.get(change.to_status, change.to_status),
            }
        else:
            title = _("Recorded as %(status)s") % {
                "status": STATUS_LABELS.get(change.to_status, change.to_status)
            }
        yield TimelineEvent(change.at, "status", title, change.note, change.actor_name)


@register_provider
def intervention_events(device):
    for item in Intervention.objects.filter(device=device):
        detail = item.description
        if item.parts_used:
            detail += " — " + _("parts: %(parts)s") % {"parts": item.parts_used}
        title = _("%(kind)s (%(minutes)d min)") % {"kind": item.get_kind_display(), "minutes": item.minutes}
        yield TimelineEvent(item.performed_at, "intervention", title, detail, item.performed_by_name)


@register_provider
def erasure_events(device):
    for item in Erasure.objects.filter(device=device):
        title = _("Erasure of drive %(serial)s: %(method)s, %(result)s") % {
            "serial": item.drive_serial,
            "method": item.get_method_display(),
            "result": item.get_result_display(),
        }
        detail = " · ".join(part for part in (item.standard, item.tool, item.notes) if part)
        yield TimelineEvent(item.performed_at, "erasure", title, detail, item.operator_name)
