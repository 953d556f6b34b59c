"""The demo course: what `load_demo` shows a trainer, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.households.models import Household, Neighbourhood
from apps.training import selectors
from apps.training.models import Attendance, Course, Enrolment, Session

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in [Neighbourhood, Household, Course, Session, Enrolment, Attendance]
    }


def test_the_demo_course_of_the_mediatheque_and_a_second_run_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())

    assert snapshot() == first
    assert first["Household"][0] == 8
    assert Neighbourhood.objects.filter(is_priority=True, code__startswith="QN069").count() == 3
    trainer = User.objects.get(username="formatrice")
    course = selectors.course_list(trainer).get()
    assert (course.structure.name, course.session_count, course.enrolled_count, course.capacity) == (
        "Médiathèque Louise-Michel",
        5,
        7,
        7,
    )
    progress = sorted(selectors.course_enrolments(course).values_list("progress", flat=True))
    assert progress == ["close", "close", "completed", "completed", "dropped_out"] + ["in_progress"] * 3
