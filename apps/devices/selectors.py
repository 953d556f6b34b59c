"""Reads for the device screens and API. They own the joins, so lists cost a fixed number
of queries whatever their length."""

from django.db.models import Exists, OuterRef

from apps.core.expressions import count_of

from .choices import DeviceStatus
from .filtersets import normalise_tag
from .models import Device, Donation, Donor, Erasure
from .services import valid_erasures


def device_list():
    return Device.objects.select_related("donation__donor").order_by("-pk")


def device_by_tag(tag, *, with_erasure_state=False):
    """The device with this asset tag, or ``None``. ``with_erasure_state``: also
    ``valid_erasure``, whether it has the passed erasure it needs to be ready, in the same
    query (the device page shows it)."""
    devices = Device.objects.select_related("donation__donor", "donation__structure")
    if with_erasure_state:
        devices = devices.annotate(valid_erasure=Exists(valid_erasures(OuterRef("pk"))))
    return devices.filter(asset_tag=normalise_tag(tag)).first()


def donation_list():
    return (
        Donation.objects.select_related("donor", "structure")
        .annotate(
            device_count=count_of(Device.objects.filter(donation=OuterRef("pk")), "donation"),
            ready_count=count_of(
                Device.objects.filter(donation=OuterRef("pk"), status=DeviceStatus.READY), "donation"
            ),
        )
        .order_by("-received_on", "-pk")
    )


def donation_devices(donation):
    return donation.devices.order_by("pk")


def donor_list():
    return Donor.objects.annotate(
        donation_count=count_of(Donation.objects.filter(donor=OuterRef("pk")), "donor")
    ).order_by("name", "pk")


def donors_to_choose(text="", *, limit):
    """The donors a new donation may come from: those whose name contains ``text``, by name,
    or, without a text, the ones registered last (a territory has a thousand of them)."""
    donors = Donor.objects.only("pk", "name", "kind")
    if text:
        return list(donors.filter(name__icontains=text).order_by("name", "pk")[:limit])
    return list(donors.order_by("-pk")[:limit])


def donation_erasures(donation):
    """Erasures of a donation's devices, for its receipt: the latest per drive comes first."""
    return Erasure.objects.filter(device__donation=donation).order_by("device_id", "-performed_at")
