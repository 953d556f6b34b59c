"""A failure half-way through a batch leaves nothing written: not the devices, not their
history, not their status changes, not the asset-tag counter."""

import pytest

from apps.core import history
from apps.devices import services
from apps.devices.models import AssetTagCounter, Device, StatusChange
from tests.devices.factories import DonationFactory
from tests.devices.test_import import GOOD_CSV


def test_a_failure_while_writing_history_leaves_no_half_imported_batch(technician, monkeypatch):
    donation = DonationFactory()
    counter_before = list(AssetTagCounter.objects.values_list("prefix", "last_number"))

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed while writing history")

    # The devices rows are inserted first; the crash comes when their history is written.
    monkeypatch.setattr(history, "_insert_history", crash)
    with pytest.raises(RuntimeError):
        services.import_devices(
            donation=donation,
            content=GOOD_CSV.encode(),
            filename="inventaire.csv",
            actor=technician,
            dry_run=False,
        )
    monkeypatch.undo()
    assert Device.objects.count() == 0
    assert Device.history.count() == 0
    assert StatusChange.objects.count() == 0
    assert list(AssetTagCounter.objects.values_list("prefix", "last_number")) == counter_before
