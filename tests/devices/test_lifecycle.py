"""The life of a device: every allowed move works, every other one is refused with a reason."""

from itertools import product

import pytest

from apps.core.exceptions import ConflictError, DomainError
from apps.devices import services
from apps.devices.choices import DeviceKind, DeviceStatus, ErasureResult
from apps.devices.models import Device, StatusChange

from .factories import DeviceFactory, ErasureFactory

pytestmark = pytest.mark.django_db
S = DeviceStatus

EXPECTED_MANUAL_MOVES = {
    (S.COLLECTED, S.DIAGNOSIS), (S.COLLECTED, S.RECYCLED), (S.COLLECTED, S.DESTROYED),
    (S.DIAGNOSIS, S.RECONDITIONING), (S.DIAGNOSIS, S.RECYCLED), (S.DIAGNOSIS, S.DESTROYED),
    (S.RECONDITIONING, S.READY), (S.RECONDITIONING, S.DIAGNOSIS),
    (S.RECONDITIONING, S.RECYCLED), (S.RECONDITIONING, S.DESTROYED),
    (S.READY, S.RECONDITIONING), (S.READY, S.RECYCLED), (S.READY, S.DESTROYED),
    (S.RETURNED, S.DIAGNOSIS),
}  # fmt: skip
EXPECTED_ALLOCATION_MOVES = {
    (S.READY, S.RESERVED), (S.RESERVED, S.ALLOCATED), (S.RESERVED, S.READY), (S.ALLOCATED, S.RETURNED),
    (S.ALLOCATED, S.LOST),
}  # fmt: skip


def erased_device(status):
    device = DeviceFactory(status=status)
    ErasureFactory(device=device)
    return device


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_MANUAL_MOVES))
def test_every_legal_move_is_made_and_recorded(from_status, to_status, technician):
    device = erased_device(from_status)
    moved = services.transition(device, to_status, actor=technician, note="vu")
    moved.refresh_from_db()
    assert moved.status == to_status
    change = StatusChange.objects.filter(device=device).latest("at")
    assert (change.from_status, change.to_status, change.note, change.actor) == (
        from_status,
        to_status,
        "vu",
        technician,
    )
    assert change.actor_name == technician.get_full_name()
    history = moved.history.latest()
    assert history.history_user == technician
    assert history.history_change_reason == "vu"


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_ALLOCATION_MOVES))
def test_allocation_moves_are_refused_to_people_but_allowed_to_the_allocation_service(
    from_status, to_status, technician
):
    device = erased_device(from_status)
    with pytest.raises(DomainError) as refused:
        services.transition(device, to_status, actor=technician)
    assert refused.value.code == "allocation_move"
    assert "from its allocation" in refused.value.message
    assert Device.objects.get(pk=device.pk).status == from_status
    services.transition(device, to_status, actor=technician, via_allocation=True)
    assert Device.objects.get(pk=device.pk).status == to_status


ILLEGAL = sorted(
    set(product(S, S)) - EXPECTED_MANUAL_MOVES - EXPECTED_ALLOCATION_MOVES,
)


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_every_other_move_is_refused_and_changes_nothing(from_status, to_status, technician):
    device = erased_device(from_status)
    with pytest.raises(DomainError) as refused:
        services.transition(device, to_status, actor=technician, via_allocation=True)
    assert refused.value.code == "illegal_transition"
    assert f"cannot become “{to_status.label}”" in refused.value.message
    device.refresh_from_db()
    assert device.status == from_status
    assert StatusChange.objects.filter(device=device).count() == 1


def test_the_manual_moves_offered_on_screen_are_exactly_the_legal_ones():
    for status in S:
        assert {(status, to) for to in services.manual_moves(status)} == {
            move for move in EXPECTED_MANUAL_MOVES if move[0] == status
        }


def test_unknown_status_is_refused(technician):
    device = DeviceFactory()
    with pytest.raises(DomainError, match="Unknown status"):
        services.transition(device, "lost_in_space", actor=technician)


def test_a_move_based_on_a_stale_page_is_a_conflict(technician):
    device = DeviceFactory(status=S.DIAGNOSIS)
    with pytest.raises(ConflictError, match="someone changed it meanwhile"):
        services.transition(device, S.RECONDITIONING, actor=technician, expected_status=S.COLLECTED)


class TestErasureRule:
    def test_a_device_with_storage_cannot_be_ready_without_a_passed_erasure(self, technician):
        device = DeviceFactory(status=S.RECONDITIONING, storage_gb=500)
        with pytest.raises(DomainError) as refused:
            services.transition(device, S.READY, actor=technician)
        assert refused.value.code == "erasure_required"
        assert "record a passed erasure" in refused.value.message
        ErasureFactory(device=device, result=ErasureResult.FAILED)
        with pytest.raises(DomainError):
            services.transition(device, S.READY, actor=technician)
        ErasureFactory(device=device, result=ErasureResult.PASSED)
        assert services.transition(device, S.READY, actor=technician).status == S.READY

    def test_a_device_without_storage_needs_no_erasure(self, technician):
        device = DeviceFactory(status=S.RECONDITIONING, storage_gb=0, kind=DeviceKind.SCREEN)
        assert services.transition(device, S.READY, actor=technician).status == S.READY

    def test_a_computer_whose_storage_is_unknown_cannot_be_ready(self, technician):
        device = DeviceFactory(status=S.RECONDITIONING, storage_gb=None, kind=DeviceKind.DESKTOP)
        with pytest.raises(DomainError, match="Record the storage size"):
            services.transition(device, S.READY, actor=technician)
        mouse = DeviceFactory(status=S.RECONDITIONING, storage_gb=None, kind=DeviceKind.PERIPHERAL)
        assert services.transition(mouse, S.READY, actor=technician).status == S.READY

    def test_after_a_return_the_device_must_be_erased_again(self, technician):
        device = erased_device(S.ALLOCATED)
        services.transition(device, S.RETURNED, actor=technician, via_allocation=True)
        services.transition(device, S.DIAGNOSIS, actor=technician)
        services.transition(device, S.RECONDITIONING, actor=technician)
        with pytest.raises(DomainError, match="record a passed erasure"):
            services.transition(device, S.READY, actor=technician)
        services.record_erasure(
            device, actor=technician, method="crypto_erase", drive_serial="D1", result=ErasureResult.PASSED
        )
        assert services.transition(device, S.READY, actor=technician).status == S.READY

    @pytest.mark.parametrize("status", [S.READY, S.RESERVED])
    def test_a_drive_recorded_on_a_device_cleared_for_a_household_is_refused(self, status, technician):
        device = DeviceFactory(status=status, kind=DeviceKind.DESKTOP, storage_gb=0, weight_kg="9.50")
        with pytest.raises(DomainError, match="move it back to reconditioning") as refused:
            services.update_device(device, actor=technician, storage_gb=500)
        assert (refused.value.code, refused.value.field) == ("erasure_required", "storage_gb")
        device.refresh_from_db()
        assert (device.status, device.storage_gb, device.history.count()) == (status, 0, 1)

    def test_a_ready_computer_cannot_have_its_storage_size_cleared(self, technician):
        device = DeviceFactory(status=S.READY, kind=DeviceKind.LAPTOP, storage_gb=0, weight_kg="1.80")
        with pytest.raises(DomainError, match="storage size must be given") as refused:
            services.update_device(device, actor=technician, storage_gb=None)
        assert refused.value.code == "storage_unknown"
        device.refresh_from_db()
        assert device.storage_gb == 0

    def test_a_ready_device_whose_drive_was_erased_can_be_edited(self, technician):
        device = erased_device(S.READY)
        device.refresh_from_db()  # the factory's weight is a float, as no form gives it
        services.update_device(device, actor=technician, storage_gb=1000, brand="Lenovo")
        device.refresh_from_db()
        assert (device.storage_gb, device.brand) == (1000, "Lenovo")

    def test_a_drive_found_in_the_workshop_is_recorded_then_erased(self, technician):
        device = DeviceFactory(
            status=S.RECONDITIONING, kind=DeviceKind.DESKTOP, storage_gb=0, weight_kg="9.50"
        )
        services.update_device(device, actor=technician, storage_gb=500)
        with pytest.raises(DomainError, match="record a passed erasure"):
            services.transition(device, S.READY, actor=technician)

    def test_an_erasure_needs_a_drive(self, technician):
        device = DeviceFactory(storage_gb=0, kind=DeviceKind.SCREEN)
        with pytest.raises(DomainError, match="no storage drive"):
            services.record_erasure(
                device, actor=technician, method="overwrite", drive_serial="X", result="passed"
            )


@pytest.mark.parametrize("end", [S.RECYCLED, S.DESTROYED])
def test_recycling_needs_a_weight(end, technician):
    device = DeviceFactory(status=S.DIAGNOSIS, weight_kg=None)
    with pytest.raises(DomainError) as refused:
        services.transition(device, end, actor=technician)
    assert refused.value.field == "weight_kg"
    moved = services.transition(device, end, actor=technician, weight_kg="4.25")
    moved.refresh_from_db()
    assert (moved.status, str(moved.weight_kg)) == (end, "4.25")


def test_a_long_note_on_a_move_is_kept_whole_on_the_timeline(technician):
    # The device's history row keeps the start (its change reason holds 100 characters, and
    # PostgreSQL refused more: a 500); the move itself keeps the whole note.
    note = "Carte mère changée, " + "détail " * 140
    device = services.transition(DeviceFactory(status=S.COLLECTED), S.DIAGNOSIS, actor=technician, note=note)
    assert device.status_changes.latest("at").note == note
    reason = device.history.latest().history_change_reason
    assert len(reason) == 100 and reason.startswith("Carte mère changée")
