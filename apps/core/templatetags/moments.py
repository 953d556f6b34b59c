"""``{% load moments %}``: moments written for machines."""

from datetime import UTC

from django import template

register = template.Library()


@register.filter
def html_datetime(moment):
    """A moment for HTML's ``datetime`` attribute: UTC to the second. ``date:'c'`` writes
    microseconds, which the attribute does not accept (three fractional digits at most), and
    it costs a second locale-aware date format per row of a long list."""
    if not moment:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
