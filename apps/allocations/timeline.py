"""Follow-ups on the timeline of each device they concern."""

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
        detail = follow_up.problem
        if follow_up.needs_repair:
            detail = " ".join(filter(None, [detail, _("Needs a repair.")]))
        yield TimelineEvent(follow_up.created_at, "follow_up", title, detail, follow_up.recorded_by_name)
