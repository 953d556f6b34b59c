"""The report's date arithmetic, done by the database, agrees with Python's on the days that
trip it up: midnight in Paris is the evening before in UTC, and summer time starts and ends
within the period."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from apps.devices.models import StatusChange
from apps.reports.expressions import DaysBetween, local_date
from apps.reports.periods import Period
from tests.devices.factories import DeviceFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))

MOMENTS = [
    datetime(2025, 1, 1, 0, 30, tzinfo=PARIS),  # 31 December in UTC
    datetime(2025, 3, 30, 1, 59, tzinfo=PARIS),  # the last minute of winter time
    datetime(2025, 3, 30, 3, 0, tzinfo=PARIS),  # the first of summer time
    datetime(2025, 6, 15, 0, 30, tzinfo=PARIS),  # 14 June in UTC (two hours behind)
    datetime(2025, 6, 15, 23, 59, tzinfo=PARIS),
    datetime(2025, 10, 26, 0, 30, tzinfo=PARIS),  # the night summer time ends
    datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=PARIS),  # the hour that happens twice
    datetime(2025, 12, 31, 23, 59, tzinfo=PARIS),  # already 2026 nowhere but Asia
]


@pytest.fixture
def moves():
    device = DeviceFactory(donation__received_on=date(2024, 12, 20))
    StatusChange.objects.filter(device=device).delete()
    return [StatusChange.objects.create(device=device, to_status="ready", at=moment) for moment in MOMENTS]


def test_local_date_is_the_date_in_paris(moves):
    dates = (
        StatusChange.objects.filter(pk__in=[m.pk for m in moves])
        .annotate(day=local_date("at", YEAR))
        .order_by("at")
        .values_list("day", flat=True)
    )
    assert list(dates) == [moment.date() for moment in MOMENTS]


def test_days_between_dates_and_between_moments(moves):
    rows = (
        StatusChange.objects.filter(pk__in=[m.pk for m in moves])
        .annotate(
            since_donation=DaysBetween(local_date("at", YEAR), "device__donation__received_on"),
            since_first=DaysBetween("at", StatusChange.objects.filter(pk=moves[0].pk).values("at")),
        )
        .order_by("at")
        .values_list("since_donation", "since_first")
    )
    for moment, (since_donation, since_first) in zip(MOMENTS, rows, strict=True):
        assert since_donation == pytest.approx((moment.date() - date(2024, 12, 20)).days)
        elapsed = moment.astimezone(UTC) - MOMENTS[0].astimezone(UTC)  # real time, not wall-clock
        assert since_first == pytest.approx(elapsed.total_seconds() / 86400, abs=1e-6)
