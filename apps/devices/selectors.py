"""Reads for the device screens and API. They own the joins, so lists cost a fixed number
of queries whatever their length."""

from django.db.models import Count, Q

from .choices import DeviceStatus
from .filtersets import normalise_tag
from .models import Device, Donation, Donor, Erasure


def device_list():
    return Device.objects.select_related("donation__donor").order_by("-pk")


def device_by_tag(tag):
    """The device with this asset tag, or ``None``."""
    return (
        Device.objects.select_related("donation__donor", "donation__structure")
        .filter(asset_tag=normalise_tag(tag))
        .first()
    )


def donation_list():
    return (
        Donation.objects.select_related("donor", "structure")
        .annotate(
            device_count=Count("devices"),
            ready_count=Count("devices", filter=Q(devices__status=DeviceStatus.READY)),
        )
        .order_by("-received_on", "-pk")
    )


def donation_devices(donation):
    return donation.devices.order_by("pk")


def donor_list():
    return Donor.objects.annotate(donation_count=Count("donations")).order_by("name")


def donation_erasures(donation):
    """Erasures of a donation's devices, for its receipt: the latest per drive comes first."""
    return Erasure.objects.filter(device__donation=donation).order_by("device_id", "-performed_at")
