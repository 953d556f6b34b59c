"""The bounds on moments people type."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.validators import not_in_the_future, plausible_moment

pytestmark = pytest.mark.usefixtures("in_english")
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "moment", [datetime(2000, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, 23, 59, tzinfo=PARIS), None]
)
def test_the_programmes_century_is_plausible(moment):
    plausible_moment(moment)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, tzinfo=PARIS),
        datetime(2100, 1, 1, tzinfo=UTC),
    ],
)
def test_a_moment_centuries_off_is_not(moment):
    with pytest.raises(ValidationError, match="Give a date between 2000 and 2099."):
        plausible_moment(moment)


def test_the_years_are_paris_years():
    plausible_moment(datetime(2000, 1, 1, 0, 30, tzinfo=PARIS))  # 1999 in UTC
    with pytest.raises(ValidationError):
        plausible_moment(datetime(2100, 1, 1, 0, 30, tzinfo=PARIS))


def test_now_and_a_clock_a_little_ahead_are_not_the_future():
    not_in_the_future(timezone.now())
    not_in_the_future(timezone.now() + timedelta(minutes=4))


def test_an_hour_ahead_is_the_future():
    with pytest.raises(ValidationError, match="This is in the future"):
        not_in_the_future(timezone.now() + timedelta(hours=1))
