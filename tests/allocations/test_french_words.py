"""French agrees in gender: a « dotation » is feminine, an « équipement » masculine."""

import pytest
from django.urls import reverse

from apps.allocations import services
from apps.allocations.choices import AllocationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def _english():
    """These tests read the French screens (the directory's others read the English ones)."""


def test_a_reserved_allocation_reads_reservee_and_its_devices_reserve(client_as, trainer, completed, kit):
    allocation = services.reserve(actor=trainer, enrolment=completed, devices=kit, kind=AllocationKind.GIFT)
    client = client_as(trainer)

    allocation_page = client.get(allocation.get_absolute_url()).content.decode()
    assert "Réservée" in allocation_page
    assert "Réservée" in client.get(reverse("allocations:allocation_list")).content.decode()

    device_page = client.get(kit[0].get_absolute_url()).content.decode()
    assert "Réservé" in device_page
    assert "Réservée" not in device_page
