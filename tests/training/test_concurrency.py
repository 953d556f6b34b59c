"""Two trainers enrolling at the same moment never put a course over its capacity.

Each thread is a separate request with its own database connection, all released at once by
a barrier. PostgreSQL runs them truly in parallel, so the row lock of the course in the
service is what keeps the count right; SQLite serialises writers (IMMEDIATE transactions).
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from apps.training import services
from apps.training.models import Enrolment
from tests.factories import CourseFactory, HouseholdFactory

CAPACITY = 3
CONCURRENT_ENROLMENTS = 8


def run_at_once(calls):
    """Run each call in its own thread and connection, all starting together; return errors."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # any failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_fill_exactly_the_capacity_and_the_rest_wait(trainer):
    course = CourseFactory(structure=trainer.structure, capacity=CAPACITY)
    households = HouseholdFactory.create_batch(CONCURRENT_ENROLMENTS, structure=trainer.structure)

    def enrol(household):
        return lambda: services.enrol_household(actor=trainer, course=course, household=household)

    errors = run_at_once([enrol(household) for household in households])

    assert errors == []
    statuses = Counter(Enrolment.objects.filter(course=course).values_list("status", flat=True))
    assert statuses == {"enrolled": CAPACITY, "waiting": CONCURRENT_ENROLMENTS - CAPACITY}


@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_promote_one_waiting_household_each(trainer):
    course = CourseFactory(structure=trainer.structure, capacity=CAPACITY)
    households = HouseholdFactory.create_batch(CAPACITY * 2, structure=trainer.structure)
    enrolments = [services.enrol_household(actor=trainer, course=course, household=h) for h in households]
    enrolled = [e for e in enrolments if e.status == "enrolled"]

    def withdraw(enrolment):
        return lambda: services.withdraw_enrolment(actor=trainer, enrolment=enrolment, reason="Moved away")

    errors = run_at_once([withdraw(enrolment) for enrolment in enrolled])

    assert errors == []
    statuses = Counter(Enrolment.objects.filter(course=course).values_list("status", flat=True))
    assert statuses == {"enrolled": CAPACITY, "withdrawn": CAPACITY}
