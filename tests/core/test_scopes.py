"""``within``: a scope passed down to the records that hang from it."""

import pytest

from apps.core.scopes import within
from apps.training.models import Course, Enrolment
from tests.factories import CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_a_scope_filters_the_records_that_hang_from_it_and_a_whole_table_adds_no_condition():
    ours, theirs = CourseFactory(), CourseFactory()
    mine, other = EnrolmentFactory(course=ours), EnrolmentFactory(course=theirs)

    assert list(within(Enrolment.objects.all(), "course", Course.objects.filter(pk=ours.pk))) == [mine]
    assert list(within(Enrolment.objects.all(), "course", Course.objects.none())) == []
    every = within(Enrolment.objects.all(), "course", Course.objects.all())
    assert set(every) == {mine, other}
    assert "training_course" not in str(every.query)
