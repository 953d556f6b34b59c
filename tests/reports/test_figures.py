"""``report_figures``: the one place a figure is computed, checked against the known programme."""

from datetime import date

import pytest

from apps.reports.figures import percent
from apps.reports.periods import Period, period_errors, quick_periods
from apps.reports.selectors import handover_lines, report_figures
from apps.reports.tables import report_tables

from .conftest import EXPECTED, PERIOD

pytestmark = pytest.mark.django_db


def stages(line):
    return line.stages.as_tuple()


def test_device_funnel_of_the_period(seeded):
    d = report_figures(period=PERIOD).devices
    assert d.collected == EXPECTED["devices_collected"]
    assert d.kg_collected == EXPECTED["kg_collected"]
    # The cancelled reservation put a3 back to ready: not counted as made ready again.
    assert d.made_ready == EXPECTED["devices_ready"]
    assert d.handed_over == EXPECTED["devices_handed_over"]
    assert d.kg_handed_over == EXPECTED["kg_reused"]
    assert d.handed_over_weight_unknown == 0
    assert d.returned == EXPECTED["devices_returned"]
    assert (d.recycled, d.destroyed, d.end_of_life) == (1, 1, EXPECTED["devices_recycled"])
    assert d.kg_diverted == EXPECTED["kg_diverted"]
    assert d.lost == 0


def test_a_device_handed_over_without_a_weight_is_said_beside_the_kilograms(seeded, in_english):
    from apps.devices.models import Device, StatusChange

    handed = StatusChange.objects.filter(to_status="allocated", at__date__range=(PERIOD.start, PERIOD.end))
    device = Device.objects.get(pk=handed.values_list("device", flat=True).first())
    weight = device.weight_kg
    Device.objects.filter(pk=device.pk).update(weight_kg=None)  # set-up: a weight never taken
    d = report_figures(period=PERIOD).devices
    assert (d.handed_over_weight_unknown, d.kg_handed_over) == (1, EXPECTED["kg_reused"] - weight)
    summary = dict(report_tables(report_figures(period=PERIOD))["summary"].rows)
    assert summary["Devices handed over with no weight recorded (not in the kilograms)"] == 1


def test_average_days_through_the_workshop(seeded):
    d = report_figures(period=PERIOD).devices
    assert d.avg_days_collection_to_ready == EXPECTED["avg_collection_to_ready"]
    assert d.avg_days_ready_to_handover == EXPECTED["avg_ready_to_handover"]


def test_stock_is_today_s_whatever_the_period(seeded):
    for period in (PERIOD, Period(date(2030, 1, 1), date(2030, 1, 31))):
        d = report_figures(period=period).devices
        assert {line.status: line.devices for line in d.stock} == EXPECTED["stock"]
        assert (d.allocated_gift, d.allocated_loan) == (
            EXPECTED["allocated_gift"],
            EXPECTED["allocated_loan"],
        )
        assert d.stock_total == 9


def test_flows_per_month_add_up_to_the_period(seeded):
    report = report_figures(period=PERIOD)
    assert [(f.month, f.collected, f.made_ready, f.handed_over) for f in report.flows] == EXPECTED["flows"]
    assert sum(f.collected for f in report.flows) == report.devices.collected
    assert sum(f.made_ready for f in report.flows) == report.devices.made_ready
    assert sum(f.handed_over for f in report.flows) == report.devices.handed_over


def test_handovers_and_households(seeded):
    report = report_figures(period=PERIOD)
    h = report.handovers
    assert (h.total, h.gift, h.loan, h.devices, h.before_rule) == (EXPECTED["handovers"], 2, 0, 2, 0)
    households = report.households
    assert households.total.as_tuple() == (
        EXPECTED["households_referred"],
        EXPECTED["households_enrolled"],
        EXPECTED["households_completed"],
        EXPECTED["households_equipped"],
    )
    assert households.priority.as_tuple() == EXPECTED["priority"]
    assert households.priority_share("referred") == 80.0
    assert households.priority_share("completed") == 66.7
    assert [
        (line.label, line.is_priority, *stages(line)) for line in households.by_neighbourhood
    ] == EXPECTED["by_neighbourhood"]
    assert {line.key: stages(line) for line in households.by_gender} == EXPECTED["by_gender"]
    assert {line.key: stages(line) for line in households.by_age_bracket} == EXPECTED["by_age_bracket"]
    referrers = {line.key: stages(line) for line in households.by_referrer}
    assert {k: v for k, v in referrers.items() if any(v)} == EXPECTED["by_referrer"]
    assert "" not in referrers  # a household is always referred by someone


def test_not_given_is_shown_never_guessed(seeded, in_english):
    households = report_figures(period=PERIOD).households
    assert households.by_gender[-1].key == "" and households.by_gender[-1].label == "Not given"
    assert households.by_age_bracket[-1].key == ""


def test_every_breakdown_adds_up_to_the_total(seeded):
    households = report_figures(period=PERIOD).households
    for lines in (
        households.by_neighbourhood,
        households.by_referrer,
        households.by_gender,
        households.by_age_bracket,
    ):
        sums = tuple(sum(values) for values in zip(*(stages(line) for line in lines), strict=True))
        assert sums == households.total.as_tuple()


def test_training_and_follow_ups(seeded):
    report = report_figures(period=PERIOD)
    t, f = report.training, report.follow_ups
    assert (t.courses, t.sessions_held) == (EXPECTED["courses"], EXPECTED["sessions_held"])
    assert (t.attendance_expected, t.attendance_present) == (
        EXPECTED["attendance_expected"],
        EXPECTED["attendance_present"],
    )
    assert t.attendance_rate == EXPECTED["attendance_rate"]
    assert t.completion_rate == EXPECTED["completion_rate"]
    assert (t.waiting, t.withdrawn) == (EXPECTED["waiting"], 0)
    assert (f.follow_ups, f.reached, f.in_use, f.not_in_use, f.problems, f.needs_repair) == (
        EXPECTED["follow_ups"],
        EXPECTED["reached"],
        EXPECTED["in_use"],
        EXPECTED["not_in_use"],
        EXPECTED["problems"],
        EXPECTED["needs_repair"],
    )
    assert f.in_use_rate == 50.0


def test_a_structure_sees_its_own_donations_courses_and_allocations(seeded, regie, mediatheque):
    regie_report = report_figures(period=PERIOD, structure=regie)
    assert regie_report.devices.collected == 5  # the agglomeration's donation is not the régie's
    assert regie_report.devices.end_of_life == 1
    assert regie_report.devices.kg_diverted == 2
    assert regie_report.handovers.total == 0  # a régie hands nothing over itself

    own = report_figures(period=PERIOD, structure=mediatheque)
    assert own.devices.collected == 0
    assert own.handovers.total == 1
    assert own.households.total.as_tuple() == (5, 3, 2, 1)
    assert (own.training.courses, own.training.sessions_held) == (1, 3)
    assert own.training.attendance_rate == 66.7
    assert own.follow_ups.follow_ups == 0


def test_period_boundaries_follow_paris_days(seeded):
    def handovers(start, end):
        return report_figures(period=Period(start, end)).handovers.total

    # 23:30 on the last day counts, 00:30 the next day does not, whatever UTC says.
    assert handovers(date(2025, 3, 31), date(2025, 3, 31)) == 1
    assert handovers(date(2025, 4, 1), date(2025, 4, 1)) == 1
    assert handovers(date(2025, 3, 1), date(2025, 3, 30)) == 0
    # 00:30 on 1 January is 23:30 on 31 December in UTC: it belongs to January.
    assert handovers(date(2025, 1, 1), date(2025, 1, 1)) == 1
    assert handovers(date(2024, 12, 31), date(2024, 12, 31)) == 0
    assert [row[0] for row in handover_lines(PERIOD, None)] == [seeded.a3_alloc.pk, seeded.a1_alloc.pk]


def test_report_runs_a_fixed_number_of_queries(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        report_figures(period=PERIOD)


def test_an_empty_programme_gives_zeros_not_errors(db):
    report = report_figures(period=PERIOD)
    assert report.devices.collected == 0
    assert report.devices.avg_days_collection_to_ready is None
    assert report.training.attendance_rate is None
    assert report.households.priority_share("referred") is None
    assert len(report_tables(report)) == 13


def test_period_checks(in_english):
    assert period_errors(date(2025, 1, 2), date(2025, 1, 1)) == {
        "end": "The end of the period cannot be before its start."
    }
    assert "start" in period_errors(date(1999, 12, 31), date(2025, 1, 1))
    assert "end" in period_errors(date(2025, 1, 1), date(2100, 1, 1))
    assert "end" in period_errors(date(2000, 1, 1), date(2015, 1, 1))
    assert period_errors(date(2025, 1, 1), date(2025, 1, 1)) == {}


def test_quick_periods():
    today = date(2025, 3, 15)
    assert [(p.start, p.end) for _label, p in quick_periods(today)] == [
        (date(2025, 3, 1), date(2025, 3, 15)),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 1, 1), date(2025, 3, 15)),
        (date(2024, 1, 1), date(2024, 12, 31)),
    ]
    assert Period(date(2024, 11, 20), date(2025, 2, 3)).months() == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_percent():
    assert percent(1, 3) == 33.3
    assert percent(0, 0) is None
