from datetime import timedelta

import pytest
from django.utils import timezone

from apps.allocations import services
from apps.allocations.models import Allocation
from apps.devices.choices import DeviceStatus
from tests.devices.factories import DeviceFactory, ErasureFactory
from tests.factories import AttendanceFactory, CourseFactory, EnrolmentFactory, SessionFactory


@pytest.fixture
def course(mediatheque, trainer):
    course = CourseFactory(structure=mediatheque, min_sessions=4, trainers=[trainer])
    course.test_sessions = [SessionFactory(course=course) for _ in range(5)]
    return course


@pytest.fixture
def enrolment(course):
    return EnrolmentFactory(course=course, household__structure=course.structure)


def attend(enrolment, sessions):
    for session in enrolment.course.test_sessions[:sessions]:
        AttendanceFactory(session=session, enrolment=enrolment, present=True)


@pytest.fixture
def completed(enrolment):
    attend(enrolment, 4)
    return enrolment


def ready_device(**kwargs):
    device = DeviceFactory(status=DeviceStatus.READY, **kwargs)
    ErasureFactory(device=device)
    return device


@pytest.fixture
def kit():
    return [
        ready_device(kind="desktop"),
        ready_device(kind="screen", storage_gb=0),
        ready_device(kind="peripheral"),
    ]


@pytest.fixture(autouse=True)
def _english(in_english):
    """These tests read the English source texts, whatever the catalog says in French."""


def loan_now_due(trainer, enrolment, devices):
    """A loan reserved weeks ago, whose due date has come by the time of the hand-over."""
    allocation = services.reserve(
        actor=trainer,
        enrolment=enrolment,
        devices=devices,
        kind="loan",
        due_on=timezone.localdate() + timedelta(days=1),
    )
    Allocation.objects.filter(pk=allocation.pk).update(due_on=timezone.localdate())
    return allocation
