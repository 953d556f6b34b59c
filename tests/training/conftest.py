import pytest

from tests.factories import CourseFactory, HouseholdFactory, SessionFactory


@pytest.fixture
def course(trainer):
    """A course of the trainer's structure: 2 places, completed after 2 sessions."""
    return CourseFactory(
        title="Premiers pas numériques",
        structure=trainer.structure,
        trainers=[trainer],
        capacity=2,
        min_sessions=2,
    )


@pytest.fixture
def sessions(course):
    """Three sessions already held."""
    return SessionFactory.create_batch(3, course=course)


@pytest.fixture
def make_households(trainer):
    """``make_households(3)``: households registered by the trainer's structure."""

    def make(count, **fields):
        return [HouseholdFactory(structure=trainer.structure, **fields) for _ in range(count)]

    return make
