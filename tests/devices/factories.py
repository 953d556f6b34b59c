import factory
from django.utils import timezone

from apps.accounts.choices import StructureKind
from apps.devices.choices import DeviceKind, DonorKind, ErasureMethod, ErasureResult
from apps.devices.models import Device, Donation, Donor, Erasure, StatusChange
from tests.factories import StructureFactory


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    kind = DonorKind.COMPANY


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation

    donor = factory.SubFactory(DonorFactory)
    structure = factory.SubFactory(StructureFactory, name="Régie de quartier Test", kind=StructureKind.REGIE)
    received_on = factory.LazyFunction(timezone.localdate)


class DeviceFactory(factory.django.DjangoModelFactory):
    """A device straight in the database, bypassing services: for reads and fixtures only."""

    class Meta:
        model = Device
        skip_postgeneration_save = True

    donation = factory.SubFactory(DonationFactory)
    asset_tag = factory.Sequence(lambda n: f"TST-{n:06d}")
    kind = DeviceKind.LAPTOP
    brand = "Dell"
    model = "Latitude 5490"
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    storage_gb = 256
    weight_kg = 1.8

    @factory.post_generation
    def first_status(self, create, extracted, **kwargs):
        if create:
            StatusChange.objects.create(device=self, to_status=self.status)


class ErasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Erasure

    device = factory.SubFactory(DeviceFactory)
    method = ErasureMethod.OVERWRITE
    tool = "nwipe"
    drive_serial = factory.Sequence(lambda n: f"DRV{n:06d}")
    result = ErasureResult.PASSED
