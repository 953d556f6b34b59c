"""Two trainers enrolling at the same moment never put a course over its capacity.

Each thread is a separate request with its own database connection, all released at once by
a barrier. PostgreSQL runs them truly in parallel, so the row lock of the course in the
service is what keeps the count right; SQLite serialises writers (IMMEDIATE transactions).
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.training import services
from apps.training.models import Course, Enrolment, Session
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


@pytest.mark.django_db(transaction=True)
def test_a_session_added_while_the_course_is_shortened_stays_within_the_new_dates(trainer):
    course = CourseFactory(structure=trainer.structure)
    new_end = course.ends_on - timedelta(days=20)
    # The session form was opened on the course as it was before it was shortened.
    opened_on = Course.objects.get(pk=course.pk)
    shortening = threading.Event()
    outcomes = []

    def shorten():
        try:
            with transaction.atomic():
                services.update_course(course, actor=trainer, ends_on=new_end)
                shortening.set()
                time.sleep(0.5)  # still committing when the session is saved
        finally:
            shortening.set()
            connection.close()

    def add_session():
        try:
            shortening.wait(timeout=10)
            services.create_session(
                actor=trainer,
                course=opened_on,
                starts_at=timezone.now() + timedelta(days=25),
                topic="basic_use",
            )
            outcomes.append("saved")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    errors = run_at_once([shorten, add_session])

    assert errors == []
    assert outcomes == ["outside_course_dates"]
    assert not Session.objects.filter(course=course, starts_at__date__gt=new_end).exists()
