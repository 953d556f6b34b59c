"""Follow-ups on the timeline of each device they concern: their verdict, never the text
written about the household."""

from django.utils.translation import gettext as _

from apps.devices.timeline import TimelineEvent, register_provider

from .models import FollowUp


@register_provider
def follow_up_events(device, limit=None):
    follow_ups = FollowUp.objects.filter(allocation__items__device=device).order_by("-created_at", "-pk")
    for follow_up in follow_ups[:limit]:
        if not follow_up.reached:
            title = _("Follow-up: household not reached")
        elif follow_up.in_use:
            title = _("Follow-up: computer in use")
        else:
            title = _("Follow-up: computer not in use")
        # Every role reads a device's timeline: what the household said (the problem, the
        # notes) stays on the allocation, for those who may see the household.
        detail = _("Needs a repair.") if follow_up.needs_repair else ""
        yield TimelineEvent(follow_up.created_at, "follow_up", title, detail, follow_up.recorded_by_name)
