"""Enrolment rules: capacity, waiting list, withdrawal, coming back, and their history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.exceptions import ConflictError, DomainError
from apps.training import services
from apps.training.models import Enrolment
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def enrol_all(trainer, course, households):
    return [services.enrol_household(actor=trainer, course=course, household=h) for h in households]


def test_households_are_enrolled_up_to_capacity_then_wait(trainer, course, make_households):
    first, second, third = enrol_all(trainer, course, make_households(3))

    assert [first.status, second.status, third.status] == ["enrolled", "enrolled", "waiting"]


def test_enrolment_history_names_the_actor(trainer, course, make_households):
    enrolment = enrol_all(trainer, course, make_households(1))[0]

    row = enrolment.history.get()
    assert (row.history_type, row.status, row.history_user, row.history_actor_name) == (
        "+",
        "enrolled",
        trainer,
        trainer.get_full_name(),
    )


def test_the_same_household_cannot_be_enrolled_twice(trainer, course, make_households):
    household = make_households(1)[0]
    enrol_all(trainer, course, [household])

    with pytest.raises(ConflictError) as caught:
        services.enrol_household(actor=trainer, course=course, household=household)

    assert caught.value.code == "already_enrolled"
    assert "already in this course (Enrolled)" in caught.value.message
    assert Enrolment.objects.count() == 1


def test_withdrawing_an_enrolled_household_promotes_the_first_waiting_one(trainer, course, make_households):
    first, _second, waiting_first, waiting_second = enrol_all(trainer, course, make_households(4))

    withdrawal = services.withdraw_enrolment(actor=trainer, enrolment=first, reason="Moved away")

    assert withdrawal.enrolment.status == "withdrawn"
    assert withdrawal.enrolment.withdrawal_reason == "Moved away"
    assert withdrawal.promoted == [waiting_first]
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert statuses[waiting_first.pk] == "enrolled"
    assert statuses[waiting_second.pk] == "waiting"
    promoted_row = waiting_first.history.first()
    assert (promoted_row.history_user, promoted_row.history_change_reason) == (
        trainer,
        "promoted from the waiting list",
    )
    assert first.history.first().history_change_reason == "Moved away"


def test_withdrawing_from_the_waiting_list_promotes_nobody(trainer, course, make_households):
    *_, waiting = enrol_all(trainer, course, make_households(3))

    withdrawal = services.withdraw_enrolment(actor=trainer, enrolment=waiting, reason="Found a course nearer")

    assert withdrawal.promoted == []
    assert Enrolment.objects.filter(status="enrolled").count() == 2


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_withdrawal_needs_a_reason(trainer, course, make_households, reason):
    enrolment = enrol_all(trainer, course, make_households(1))[0]

    with pytest.raises(DomainError) as caught:
        services.withdraw_enrolment(actor=trainer, enrolment=enrolment, reason=reason)

    assert (caught.value.field, caught.value.code) == ("reason", "reason_required")
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_withdrawing_twice_is_a_conflict(trainer, course, make_households):
    enrolment = enrol_all(trainer, course, make_households(1))[0]
    services.withdraw_enrolment(actor=trainer, enrolment=enrolment, reason="Ill")

    with pytest.raises(ConflictError) as caught:
        services.withdraw_enrolment(actor=trainer, enrolment=enrolment, reason="Ill")

    assert "is withdrawn: it cannot become withdrawn" in caught.value.message


def test_a_withdrawn_household_can_come_back_at_the_back_of_the_queue(trainer, course, make_households):
    leaving, _other, waiting = enrol_all(trainer, course, make_households(3))
    services.withdraw_enrolment(actor=trainer, enrolment=leaving, reason="Clash with work")

    back = services.enrol_household(actor=trainer, course=course, household=leaving.household)

    assert back.pk == leaving.pk
    assert back.status == "waiting"
    assert back.withdrawal_reason == ""
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"


def test_capacity_cannot_drop_below_the_enrolled_households(trainer, course, make_households):
    enrol_all(trainer, course, make_households(2))

    with pytest.raises(DomainError) as caught:
        services.update_course(course, actor=trainer, capacity=1)

    assert caught.value.field == "capacity"
    assert "2 households are already enrolled" in caught.value.message


def test_more_capacity_lets_the_waiting_list_in(trainer, course, make_households):
    *_, first_waiting, second_waiting = enrol_all(trainer, course, make_households(4))

    services.update_course(course, actor=trainer, capacity=3)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert (first_waiting.status, second_waiting.status) == ("enrolled", "waiting")


def test_an_anonymised_household_cannot_be_enrolled(trainer, course, make_households):
    household = make_households(1, anonymised_at="2025-01-01T00:00Z")[0]
    with pytest.raises(ConflictError):
        services.enrol_household(actor=trainer, course=course, household=household)


def test_database_constraints_back_the_rules(trainer, course, make_households):
    household = make_households(1)[0]
    Enrolment.objects.create(course=course, household=household, status="enrolled")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(course=course, household=household, status="waiting")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(household=household).update(status="withdrawn", withdrawal_reason="")


def course_fields(**changes):
    return {
        "title": "Parcours",
        "place": "Salle",
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2025, 4, 1),
        "capacity": 8,
        "min_sessions": 4,
        **changes,
    }


def test_trainers_must_belong_to_the_courses_structure(trainer, other_trainer):
    with pytest.raises(DomainError) as caught:
        services.create_course(
            actor=trainer, structure=trainer.structure, trainers=[other_trainer], **course_fields()
        )
    assert caught.value.field == "trainers"
    assert "do not belong to the structure running the course" in caught.value.message

    with pytest.raises(DomainError) as caught:
        services.create_course(actor=trainer, structure=other_trainer.structure, **course_fields())
    assert caught.value.code == "other_structure"

    colleague = UserFactory(structure=trainer.structure, role="trainer")
    course = services.create_course(
        actor=trainer, structure=trainer.structure, trainers=[trainer, colleague], **course_fields()
    )
    assert set(course.trainers.all()) == {trainer, colleague}
    assert course.history.first().history_user == trainer


@pytest.mark.parametrize("role", [None, "technician", "coordinator"])
def test_only_members_with_the_trainer_role_can_run_a_course(trainer, course, role):
    member = UserFactory(structure=trainer.structure, role=role, first_name="Léa", last_name="Martin")

    with pytest.raises(DomainError) as created:
        services.create_course(
            actor=trainer, structure=trainer.structure, trainers=[trainer, member], **course_fields()
        )
    with pytest.raises(DomainError) as updated:
        services.update_course(course, actor=trainer, trainers=[trainer, member])

    for caught in (created, updated):
        assert (caught.value.code, caught.value.field) == ("not_a_trainer", "trainers")
        assert (
            caught.value.message
            == "Léa Martin does not have the trainer role: only trainers can run a course."
        )
    assert list(course.trainers.all()) == [trainer]


def test_course_dates_and_rule_are_checked(trainer):
    with pytest.raises(ValidationError) as caught:
        services.create_course(
            actor=trainer,
            structure=trainer.structure,
            **course_fields(starts_on=date(2025, 4, 1), ends_on=date(2025, 3, 1), capacity=0, min_sessions=0),
        )

    message = str(caught.value)
    assert "cannot end before it starts" in message
    assert "at least one household" in message
    assert "at least one session" in message


def test_sessions_stay_within_the_course_dates(trainer, course):
    with pytest.raises(DomainError) as caught:
        services.create_session(
            actor=trainer, course=course, starts_at=timezone.now() + timedelta(days=90), topic="basic_use"
        )
    assert caught.value.field == "starts_at"

    session = services.create_session(
        actor=trainer, course=course, starts_at=timezone.now(), topic="online_rights"
    )
    assert session.history.get().history_user == trainer
