"""Fifty people handing over the same device at the same moment: exactly one succeeds."""

import threading

import pytest
from django.db import connection

from apps.allocations import services
from apps.allocations.models import Allocation
from apps.core.exceptions import ConflictError
from apps.devices.models import Device
from tests.factories import AttendanceFactory, EnrolmentFactory

from .conftest import ready_device


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_hand_overs_of_one_device_give_one_allocation(trainer, course):
    device = ready_device()
    enrolments = []
    for _ in range(50):
        enrolment = EnrolmentFactory(course=course, household__structure=course.structure)
        for session in course.test_sessions[:4]:
            AttendanceFactory(session=session, enrolment=enrolment)
        enrolments.append(enrolment)
    start = threading.Barrier(len(enrolments))
    outcomes = []

    def attempt(enrolment):
        try:
            start.wait()
            allocation = services.reserve(actor=trainer, enrolment=enrolment, devices=[device], kind="gift")
            services.hand_over(allocation, actor=trainer)
            outcomes.append("handed over")
        except ConflictError:
            outcomes.append("conflict")
        except Exception as exc:  # noqa: BLE001 - anything else is the bug this test looks for
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(outcomes)) == ["conflict", "handed over"], outcomes
    assert outcomes.count("handed over") == 1
    assert Allocation.objects.filter(status="active").count() == 1
    assert Allocation.objects.count() == 1
    assert Device.objects.get(pk=device.pk).status == "allocated"
