"""Device list filters, shared by the list screen and the API so both answer alike."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import search
from .choices import DeviceKind, DeviceStatus
from .models import Device, Donation


class DeviceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    # No DISTINCT (django-filter's default for multiple choices): a status is a column of the
    # device, so there are no duplicates to remove, and DISTINCT made the page count read
    # every matching row in full instead of counting the status index.
    status = django_filters.MultipleChoiceFilter(
        choices=DeviceStatus.choices, label=_("Status"), distinct=False
    )
    kind = django_filters.ChoiceFilter(
        choices=DeviceKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    # A number, not a list: a territory has thousands of donations, and a <select> of them all
    # would be most of the page's weight.
    donation = django_filters.ModelChoiceFilter(
        queryset=Donation.objects.all(),
        label=_("Donation no."),
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    location = django_filters.CharFilter(lookup_expr="icontains", label=_("Storage location"))
    asset_tag = django_filters.CharFilter(method="by_asset_tag", label=_("Asset tag"))

    class Meta:
        model = Device
        fields = ["q", "status", "kind", "donation", "location", "asset_tag"]

    def search(self, queryset, name, value):
        return search.matching(queryset, value)

    def by_asset_tag(self, queryset, name, value):
        return queryset.filter(asset_tag=normalise_tag(value))


def normalise_tag(text):
    """What a USB scanner or a hurried thumb types: stray spaces, lower case, or, from a
    scanner that reads the QR code, the label's address, whose last part is the tag."""
    text = str(text)
    if "/d/" in text:
        text = text.rsplit("/d/", 1)[1].split("?", 1)[0].strip().rstrip("/")
    return "".join(text.split()).upper()
