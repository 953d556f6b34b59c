"""Asset tags: sequential, unique, never reused, even when many people log devices at once."""

import threading

import pytest
from django.db import connection
from django.test import override_settings

from apps.devices import services
from apps.devices.models import Device

from .factories import DonationFactory


@pytest.mark.django_db
def test_tags_follow_each_other_with_the_configured_prefix(technician):
    donation = DonationFactory()
    first = services.create_device(donation=donation, actor=technician, kind="laptop", serial_number="A")
    second = services.create_device(donation=donation, actor=technician, kind="laptop", serial_number="B")
    assert (first.asset_tag, second.asset_tag) == ("OP-000001", "OP-000002")
    with override_settings(ASSET_TAG_PREFIX="VLB"):
        third = services.create_device(donation=donation, actor=technician, kind="screen")
    assert third.asset_tag == "VLB-000001"


@pytest.mark.django_db
def test_a_tag_is_never_given_twice_even_after_a_failed_creation(technician):
    donation = DonationFactory()
    services.create_device(donation=donation, actor=technician, kind="laptop", serial_number="DUP")
    with pytest.raises(services.DomainError):
        services.create_device(donation=donation, actor=technician, kind="laptop", serial_number="DUP")
    later = services.create_device(donation=donation, actor=technician, kind="laptop", serial_number="NEW")
    assert later.asset_tag == "OP-000002"


@pytest.mark.django_db
def test_tags_cannot_be_changed(technician):
    device = services.create_device(donation=DonationFactory(), actor=technician, kind="laptop")
    with pytest.raises(services.DomainError, match="cannot be changed"):
        services.update_device(device, actor=technician, asset_tag="OP-999999")


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gives_distinct_consecutive_tags(technician):
    donation = DonationFactory()
    workers, per_worker = 6, 5
    errors = []

    def work(worker):
        try:
            for n in range(per_worker):
                services.create_device(
                    donation=donation, actor=technician, kind="laptop", serial_number=f"W{worker}-{n}"
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    tags = sorted(Device.objects.values_list("asset_tag", flat=True))
    assert tags == [f"OP-{n:06d}" for n in range(1, workers * per_worker + 1)]
