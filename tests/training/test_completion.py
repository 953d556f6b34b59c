"""Completion computed from attendance, and taking attendance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.training import selectors, services
from apps.training.models import Attendance
from tests.factories import EnrolmentFactory, SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def attend(trainer, sessions, household, marks):
    for session, present in zip(sessions, marks, strict=True):
        services.record_attendance(actor=trainer, session=session, household=household, present=present)


def progress_of(enrolment):
    return selectors.enrolment_progress(enrolment.pk)


@pytest.mark.parametrize(
    ("marks", "progress", "completed"),
    [
        ([True, True, False], "completed", True),  # exactly min_sessions (2)
        ([True, True, True], "completed", True),
        ([True, False, False], "close", False),  # one session short
        ([False, False, False], "in_progress", False),  # absences do not count
    ],
)
def test_completion_follows_the_courses_rule(trainer, course, sessions, marks, progress, completed):
    enrolment = EnrolmentFactory(course=course)
    attend(trainer, sessions, enrolment.household, marks)

    annotated = progress_of(enrolment)

    assert (annotated.attended_sessions, annotated.progress, annotated.is_completed) == (
        sum(marks),
        progress,
        completed,
    )
    assert (enrolment in selectors.completed_enrolments()) is completed


def test_a_household_that_withdrew_has_dropped_out_even_after_attending_enough(trainer, course, sessions):
    enrolment = EnrolmentFactory(course=course)
    attend(trainer, sessions, enrolment.household, [True, True, True])
    services.withdraw_enrolment(actor=trainer, enrolment=enrolment, reason="Moved away")

    annotated = progress_of(enrolment)

    assert (annotated.progress, annotated.is_completed) == ("dropped_out", False)
    assert enrolment not in selectors.completed_enrolments()


def test_a_waiting_household_is_on_the_waiting_list_not_in_progress(course):
    enrolment = EnrolmentFactory(course=course, status="waiting")
    assert progress_of(enrolment).progress == "waiting"


def test_taking_attendance_again_overwrites_without_a_second_row(trainer, course, sessions):
    enrolment = EnrolmentFactory(course=course)
    session = sessions[0]

    services.record_attendance(actor=trainer, session=session, household=enrolment.household, present=True)
    services.record_attendance(actor=trainer, session=session, household=enrolment.household, present=True)
    services.record_attendance(actor=trainer, session=session, household=enrolment.household, present=False)

    attendance = Attendance.objects.get()
    assert attendance.present is False
    # The repeated tap wrote nothing; the change did, with its actor.
    assert [(row.history_type, row.present, row.history_user) for row in attendance.history.all()] == [
        ("~", False, trainer),
        ("+", True, trainer),
    ]


@pytest.mark.parametrize("status", ["waiting", "withdrawn"])
def test_only_enrolled_households_get_attendance(trainer, course, sessions, status):
    enrolment = EnrolmentFactory(course=course, status=status, withdrawal_reason="x")

    with pytest.raises(DomainError) as caught:
        services.record_attendance(
            actor=trainer, session=sessions[0], household=enrolment.household, present=True
        )

    assert (caught.value.code, caught.value.field) == ("not_enrolled", "household")
    assert "is not enrolled in this course" in caught.value.message


def test_attendance_waits_for_the_day_of_the_session(trainer, course):
    enrolment = EnrolmentFactory(course=course)
    tomorrow = SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=1))
    later_today = SessionFactory(course=course, starts_at=timezone.localtime().replace(hour=23, minute=59))

    with pytest.raises(DomainError) as caught:
        services.record_attendance(
            actor=trainer, session=tomorrow, household=enrolment.household, present=True
        )
    assert caught.value.code == "session_not_held"

    services.record_attendance(
        actor=trainer, session=later_today, household=enrolment.household, present=True
    )
    assert Attendance.objects.filter(session=later_today).exists()


def test_held_sessions_are_counted_on_the_course(trainer, course, sessions):
    SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=3))

    annotated = selectors.course_list(trainer).get(pk=course.pk)

    assert (annotated.session_count, annotated.held_session_count) == (4, 3)


class TestTheRuleCannotBeBentAfterTheFact:
    """What decides a hand-over (the number of sessions required, the sessions attended)
    cannot be changed once attendance is known: only a coordinator's written reason can
    hand devices over before the rule is met."""

    def test_the_sessions_required_cannot_be_lowered_once_attendance_is_taken(
        self, trainer, course, sessions
    ):
        enrolment = EnrolmentFactory(course=course)
        attend(trainer, sessions[:1], enrolment.household, [True])
        with pytest.raises(DomainError) as refused:
            services.update_course(course, actor=trainer, min_sessions=1)
        assert (refused.value.code, refused.value.field) == ("rule_locked", "min_sessions")
        course.refresh_from_db()
        assert course.min_sessions == 2
        assert not progress_of(enrolment).is_completed

    def test_the_rule_may_still_be_raised_or_lowered_before_any_attendance(self, trainer, course, sessions):
        services.update_course(course, actor=trainer, min_sessions=1)
        services.update_course(course, actor=trainer, min_sessions=3)
        enrolment = EnrolmentFactory(course=course)
        attend(trainer, sessions[:1], enrolment.household, [True])
        services.update_course(course, actor=trainer, min_sessions=3, title="Premiers pas")
        course.refresh_from_db()
        assert (course.min_sessions, course.title) == (3, "Premiers pas")

    def test_a_session_with_attendance_cannot_move_to_a_day_still_to_come(self, trainer, course, sessions):
        enrolment = EnrolmentFactory(course=course)
        attend(trainer, sessions[:2], enrolment.household, [True, True])
        held_at = sessions[0].starts_at
        later = timezone.now() + timedelta(days=2)
        with pytest.raises(DomainError) as refused:
            services.update_session(sessions[0], actor=trainer, starts_at=later)
        assert (refused.value.code, refused.value.field) == ("attendance_taken", "starts_at")
        sessions[0].refresh_from_db()
        assert sessions[0].starts_at == held_at
        assert progress_of(enrolment).is_completed

    def test_a_session_with_attendance_may_be_corrected_to_another_past_day(self, trainer, course, sessions):
        enrolment = EnrolmentFactory(course=course)
        attend(trainer, sessions[:1], enrolment.household, [True])
        earlier = sessions[0].starts_at - timedelta(hours=2)
        services.update_session(sessions[0], actor=trainer, starts_at=earlier)
        sessions[2].refresh_from_db()
        services.update_session(sessions[2], actor=trainer, starts_at=timezone.now() + timedelta(days=2))
        sessions[0].refresh_from_db()
        assert sessions[0].starts_at == earlier
