"""The benchmark still runs: a tiny dataset (scale 0.01) on SQLite, every measure present and
well formed. It asserts no speed: timings belong to ``make bench``, not to the test suite."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "device_list_html_first",
    "device_list_html_deep",
    "device_list_html_status_first",
    "device_list_html_status_deep",
    "device_list_html_search",
    "device_list_api_first",
    "device_list_api_deep",
    "device_list_api_status_first",
    "device_list_api_status_deep",
    "device_list_api_search",
    "device_page_long_timeline",
    "device_timeline_full",
    "scan_short_url",
    "scan_find_box",
    "household_page",
    "course_page",
    "course_page_trainer",
    "enrol_screen_latest",
    "enrol_screen_search",
    "allocation_reserve_latest",
    "allocation_reserve_search",
    "allocation_hand_over",
    "lists_donations_html",
    "lists_donations_api",
    "lists_donation_form",
    "lists_donation_form_search",
    "lists_donation_form_chosen",
    "lists_households_trainer",
    "lists_allocations_html",
    "lists_allocations_api",
    "lists_follow_ups_due_trainer",
    "lists_overdue_loans_trainer",
    "lists_sessions_api",
    "lists_enrolments_api",
    "lists_attendance_api",
    "lists_follow_ups_api",
    "lists_audit_history",
    "dashboard_year_figures",
    "dashboard_year_page",
    "export_year_csv",
    "export_year_xlsx",
    "export_all_csv",
    "export_all_xlsx",
    "labels_200_L7160",
    "import_1000_rows",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "results.json"
    database = tmp / "bench-smoke.sqlite3"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scale",
            "0.01",
            "--quick",
            "--rebuild",
            "--database-url",
            f"sqlite:///{database}",
            "--json",
            str(out),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(out.read_text())


def test_every_measure_is_present_once(results):
    names = [m["name"] for m in results["measures"]]
    assert sorted(names) == sorted(EXPECTED)


def test_each_measure_has_the_contract_fields(results):
    for measure in results["measures"]:
        assert "error" not in measure, measure
        assert isinstance(measure["name"], str)
        assert isinstance(measure["value"], int | float) and math.isfinite(measure["value"]), measure
        assert isinstance(measure["unit"], str) and measure["unit"]
        assert isinstance(measure["target"], int | float), measure
        assert isinstance(measure["met"], bool), measure
        assert measure["scale"] == 0.01
        assert measure["database"] == "sqlite"


def test_the_run_describes_itself(results):
    assert results["scale"] == 0.01
    assert results["database"] == "sqlite"
    assert results["dataset"]["history_rows"] > 0
    assert results["machine"]["python"]
    before, after = results["machine"]["cpu_probe_ms"]
    assert before > 0 and after > 0


def test_the_long_timeline_has_its_200_events(results):
    page = next(m for m in results["measures"] if m["name"] == "device_page_long_timeline")
    assert page["events"] == 200


def test_the_readme_table_has_a_line_per_measure(results):
    from bench.table import table

    lines = table([results]).splitlines()
    assert lines[0] == "| measure | SQLite ×1 | SQLite ×0.1 → ratio |"
    assert len(lines) == 2 + len(EXPECTED)
    assert all(line.count("|") == 4 for line in lines)
