"""One timeline of a device's whole life, newest first.

Each app that records events about devices registers a provider here (the allocations app
adds hand-overs and returns), so the device page shows them without knowing those apps.

A provider yields its events newest first and reads at most ``limit`` of them, so the
device page reads a fixed number of rows however long the device's life has been: a laptop
that went round five households has hundreds of events, and the page shows the latest.
"""

import heapq
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import DeviceStatus
from .models import Device, Erasure, Intervention, StatusChange

# Enough to see the device's last round trip (reconditioning, hand-over, return) on a phone
# without scrolling through years; the full timeline is one link away.
RECENT_EVENTS = 30


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    actor_name: str = ""
    log_url: str = ""  # an erasure's certified log, for those who may read it


_providers = []


def register_provider(provider):
    """``provider(device, limit) -> TimelineEvents newest first``, at most ``limit`` of them
    (``None``: all; a queryset sliced ``[:None]`` is not cut)."""
    _providers.append(provider)
    return provider


def device_timeline(device: Device, limit=None):
    """The device's events, newest first: all of them, or the latest ``limit``."""
    streams = [provider(device, limit) for provider in _providers]
    events = heapq.merge(*streams, key=lambda event: event.at, reverse=True)
    return list(islice(events, limit))


def recent_timeline(device: Device, count=RECENT_EVENTS):
    """``(the latest count events, whether older ones exist)``, for the device page."""
    events = device_timeline(device, count + 1)
    return events[:count], len(events) > count


# What ``get_to_status_display()`` answers, without rebuilding the choices dictionary (and
# hashing every lazy label) on each call: a third of a 200-event device page went there.
STATUS_LABELS = dict(DeviceStatus.choices)


@register_provider
def status_events(device, limit=None):
    for change in StatusChange.objects.filter(device=device).order_by("-at", "-pk")[:limit]:
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
def intervention_events(device, limit=None):
    for item in Intervention.objects.filter(device=device).order_by("-performed_at", "-pk")[:limit]:
        detail = item.description
        if item.parts_used:
            detail += " — " + _("parts: %(parts)s") % {"parts": item.parts_used}
        title = _("%(kind)s (%(minutes)d min)") % {"kind": item.get_kind_display(), "minutes": item.minutes}
        yield TimelineEvent(item.performed_at, "intervention", title, detail, item.performed_by_name)


@register_provider
def erasure_events(device, limit=None):
    for item in Erasure.objects.filter(device=device).order_by("-performed_at", "-pk")[:limit]:
        title = _("Erasure of drive %(serial)s: %(method)s, %(result)s") % {
            "serial": item.drive_serial,
            "method": item.get_method_display(),
            "result": item.get_result_display(),
        }
        detail = " · ".join(part for part in (item.standard, item.tool, item.notes) if part)
        log_url = reverse("devices:erasure_log", args=[device.asset_tag, item.pk]) if item.log_file else ""
        yield TimelineEvent(item.performed_at, "erasure", title, detail, item.operator_name, log_url)
