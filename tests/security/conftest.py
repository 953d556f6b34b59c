"""One object of each kind, owned by the trainer's structure (médiathèque) or the régie,
for the role-and-scope matrix, the escaping checks and the privacy tests."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.allocations import services as allocation_services
from apps.devices.choices import DeviceStatus
from tests.allocations.conftest import ready_device
from tests.devices.factories import DonationFactory, DonorFactory, ErasureFactory
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    HouseholdFactory,
    NeighbourhoodFactory,
    SessionFactory,
)

HOUSEHOLD_NAME = "Famille Secretnom"
HOUSEHOLD_PHONE = "06 11 22 33 44"


def build_world(*, regie, mediatheque, trainer, technician, household_name=HOUSEHOLD_NAME, text=None):
    """Seed every kind of object; ``text`` (if given) goes into every free-text field a user
    types, for the escaping tests."""
    label = text or "Dell"
    donor = DonorFactory(name=text or "Entreprise Seed")
    donation = DonationFactory(donor=donor, structure=regie)
    device = ready_device(donation=donation, brand=label, model=text or "Latitude 5490")
    spare = ready_device(donation=donation)
    erasure = ErasureFactory(device=spare, tool=text or "nwipe")
    erasure.log_file.save("wipe.log", ContentFile(b"all sectors zeroed\n"))
    neighbourhood = NeighbourhoodFactory(name=text or "Quartier Seed")
    household = HouseholdFactory(
        structure=mediatheque,
        neighbourhood=neighbourhood,
        contact_name=household_name,
        phone=HOUSEHOLD_PHONE,
        email="secret@example.org",
        address="12 rue Cachée",
        notes=text or "Notes privées",
    )
    course = CourseFactory(
        structure=mediatheque, trainers=[trainer], min_sessions=1, title=text or "Parcours Seed"
    )
    session = SessionFactory(course=course)
    enrolment = EnrolmentFactory(course=course, household=household)
    attendance = AttendanceFactory(session=session, enrolment=enrolment)
    allocation = allocation_services.reserve(
        actor=trainer,
        enrolment=enrolment,
        devices=[device],
        kind="gift",
        notes=text or "Remis en main propre",
    )
    allocation = allocation_services.hand_over(allocation, actor=trainer)
    follow_up = allocation_services.record_follow_up(
        allocation,
        actor=trainer,
        reached=True,
        in_use=True,
        problem=text or "Écran cassé par le fils",
        notes=text or "Rappeler Mme",
        contacted_on=timezone.localdate(),
    )
    allocation.refresh_from_db()
    device.refresh_from_db()
    assert device.status == DeviceStatus.ALLOCATED
    return SimpleNamespace(
        donor=donor,
        donation=donation,
        device=device,
        spare=spare,
        erasure=erasure,
        neighbourhood=neighbourhood,
        household=household,
        course=course,
        session=session,
        enrolment=enrolment,
        attendance=attendance,
        allocation=allocation,
        follow_up=follow_up,
        structure=mediatheque,
    )


@pytest.fixture
def world(regie, mediatheque, trainer, technician, other_trainer, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(regie=regie, mediatheque=mediatheque, trainer=trainer, technician=technician)


@pytest.fixture
def actors(technician, trainer, other_trainer, coordinator):
    return {
        "anonymous": None,
        "technician": technician,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "coordinator": coordinator,
    }
