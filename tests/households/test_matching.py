"""The comparable forms behind the duplicate warning: however a phone or a name is typed."""

import pytest

from apps.households.matching import name_key, phone_key


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "6 12 34 56 78",
    ],
)
def test_french_numbers_in_every_usual_format_have_the_same_key(typed):
    assert phone_key(typed) == "0612345678"


def test_a_foreign_number_never_matches_a_french_one():
    assert phone_key("+44 6 12 34 56 78") != phone_key("06 12 34 56 78")
    assert phone_key("+44 7700 900123") == "+447700900123"


@pytest.mark.parametrize("typed", ["", "  ", "12", "n/a"])
def test_too_short_a_number_has_no_key_so_it_matches_nothing(typed):
    assert phone_key(typed) == ""


@pytest.mark.parametrize(
    "typed",
    ["Fatima Bénali", "BENALI Fatima", "fatima  benali", "Benali, Fatima", "FATIMA BÉNALI"],
)
def test_names_match_whatever_the_case_accents_order_or_punctuation(typed):
    assert name_key(typed) == "benali fatima"


def test_ligatures_and_other_alphabets():
    assert name_key("Cœur Marie-Ève") == name_key("coeur marie eve")
    assert name_key("Mehmet Yılmaz") == name_key("YILMAZ mehmet")
    assert name_key("Иван Петров") == "иван петров"
    assert name_key("   ") == ""
