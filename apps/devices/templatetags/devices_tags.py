from django import template

from ..choices import DeviceStatus

register = template.Library()

STATUS_BADGES = {
    DeviceStatus.READY: "badge-ok",
    DeviceStatus.RESERVED: "badge-warn",
    DeviceStatus.ALLOCATED: "badge-warn",
    DeviceStatus.RECYCLED: "badge-danger",
    DeviceStatus.DESTROYED: "badge-danger",
}


@register.inclusion_tag("devices/includes/status_badge.html")
def status_badge(device_or_status, label=None):
    """``{% status_badge device %}``: the status as a coloured badge whose text says it all."""
    status = getattr(device_or_status, "status", device_or_status)
    return {"css": STATUS_BADGES.get(status, ""), "label": label or DeviceStatus(status).label}
