"""Which households a user may see, asked about a whole list or about a page's few."""

import pytest

from apps.households.selectors import households_visible_to, visible_household_ids
from tests.factories import CourseFactory, EnrolmentFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(trainer, other_trainer):
    """A household the trainer's structure registered, one it follows in a course, and one
    of another structure only."""
    own = HouseholdFactory(structure=trainer.structure)
    followed = HouseholdFactory(structure=other_trainer.structure)
    EnrolmentFactory(household=followed, course=CourseFactory(structure=trainer.structure))
    elsewhere = HouseholdFactory(structure=other_trainer.structure)
    return own, followed, elsewhere


def test_a_trainer_sees_the_households_registered_or_followed_by_their_structure(trainer, households):
    own, followed, elsewhere = households
    everyone = [own.pk, followed.pk, elsewhere.pk]

    assert set(households_visible_to(trainer).values_list("pk", flat=True)) == {own.pk, followed.pk}
    assert visible_household_ids(trainer, everyone) == {own.pk, followed.pk}
    assert visible_household_ids(trainer, [elsewhere.pk]) == set()
    assert visible_household_ids(trainer, [followed.pk]) == {followed.pk}


def test_a_household_followed_in_two_courses_is_one_household(trainer, households):
    own, followed, _ = households
    EnrolmentFactory(household=followed, course=CourseFactory(structure=trainer.structure))
    EnrolmentFactory(household=own, course=CourseFactory(structure=trainer.structure))

    assert households_visible_to(trainer).count() == 2


def test_a_coordinator_sees_every_household_asked_about_and_a_technician_none(
    coordinator, technician, households
):
    ids = [household.pk for household in households]

    assert visible_household_ids(coordinator, ids) == set(ids)
    assert visible_household_ids(coordinator, ids[:1]) == set(ids[:1])
    assert visible_household_ids(technician, ids) == set()


def test_asking_about_a_page_of_households_is_one_query(trainer, households, django_assert_num_queries):
    ids = [household.pk for household in households]
    trainer.has_perm("households.view_household")  # permissions loaded beforehand, as on a page

    with django_assert_num_queries(1):
        visible_household_ids(trainer, ids)
