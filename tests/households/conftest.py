import pytest

from tests.factories import NeighbourhoodFactory


@pytest.fixture
def buers(db):
    return NeighbourhoodFactory(name="Les Buers", code="QN06904M", is_priority=True)


@pytest.fixture
def gratte_ciel(db):
    return NeighbourhoodFactory(name="Gratte-Ciel", code="", is_priority=False)


@pytest.fixture
def household_data(buers):
    """``household_data(**changes)``: what a trainer types to register a household."""

    def make(**changes):
        return {
            "contact_name": "Fatima Benali",
            "phone": "06 12 34 56 78",
            "email": "",
            "address": "12 rue des Lilas",
            "neighbourhood": buers,
            "size": 4,
            "children": 2,
            "referred_by": "social_centre",
            "referring_structure": "Centre social du Tonkin",
            "no_computer_at_home": True,
            "gender": "female",
            "age_bracket": "26_44",
            "consent_text": "J'accepte que mes données soient conservées.",
            "notes": "",
            **changes,
        }

    return make
