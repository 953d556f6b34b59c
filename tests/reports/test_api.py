"""The report through the API: the same numbers as JSON, the raw list as CSV, coordinators only."""

import csv
import io

import pytest

from .conftest import EVIL_COURSE, EXPECTED, QUERY

pytestmark = pytest.mark.django_db

SUMMARY = "/api/reports/summary/"
HANDOVERS = "/api/reports/handovers.csv"


def test_summary_has_the_known_figures(api_as, coordinator, seeded):
    response = api_as(coordinator).get(f"{SUMMARY}?{QUERY}")
    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in (
        "start", "end", "structure", "devices_collected", "devices_ready", "devices_recycled", "kg_diverted",
        "handovers", "households_enrolled", "households_completed", "households_equipped",
    )} == {
        "start": "2025-01-01",
        "end": "2025-03-31",
        "structure": None,
        "devices_collected": EXPECTED["devices_collected"],
        "devices_ready": EXPECTED["devices_ready"],
        "devices_recycled": EXPECTED["devices_recycled"],
        "kg_diverted": 3.0,
        "handovers": EXPECTED["handovers"],
        "households_enrolled": EXPECTED["households_enrolled"],
        "households_completed": EXPECTED["households_completed"],
        "households_equipped": EXPECTED["households_equipped"],
    }  # fmt: skip
    assert data["kg_reused"] == 3.5
    assert data["households_referred"] == EXPECTED["households_referred"]
    assert (data["attendance_rate"], data["completion_rate"]) == (70.0, 75.0)
    devices = data["devices"]
    assert (devices["recycled"], devices["destroyed"], devices["returned"]) == (1, 1, 1)
    assert devices["avg_days_collection_to_ready"] == 32.5
    assert {line["status"]: line["devices"] for line in devices["stock"]} == EXPECTED["stock"]
    assert [(f["month"], f["collected"], f["made_ready"], f["handed_over"]) for f in data["flows"]] == [
        (month.isoformat(), *counts) for month, *counts in EXPECTED["flows"]
    ]
    assert data["handovers_by_kind"]["gift"] == 2
    households = data["households"]
    assert households["priority"] == dict(
        zip(("referred", "enrolled", "completed", "equipped"), EXPECTED["priority"], strict=True)
    )
    assert households["priority_share"]["referred"] == 80.0
    assert {line["key"]: line["referred"] for line in households["by_gender"]}[""] == 2
    assert data["training"]["sessions_held"] == EXPECTED["sessions_held"]
    assert data["follow_ups"]["needs_repair"] == EXPECTED["needs_repair"]


def test_summary_for_a_structure(api_as, coordinator, seeded, mediatheque):
    data = api_as(coordinator).get(f"{SUMMARY}?{QUERY}&structure={mediatheque.pk}").json()
    assert (data["structure"], data["structure_name"]) == (mediatheque.pk, mediatheque.name)
    assert (data["handovers"], data["households_enrolled"], data["devices_collected"]) == (1, 3, 0)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2025-03-01&end=2025-02-01", "end"),
        ("start=2025-02-30&end=2025-03-01", "start"),
        ("start=01/02/2025&end=2025-03-01", "start"),
        ("end=2025-03-01", "start"),
        ("start=2025-01-01", "end"),
        ("start=2025-01-01&end=2025-03-01&structure=999999", "structure"),
        ("start=1900-01-01&end=2025-03-01", "start"),
    ],
)
def test_bad_queries_are_field_errors(api_as, coordinator, query, field, in_english):
    for url in (SUMMARY, HANDOVERS):
        response = api_as(coordinator).get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert list(response.json()) == [field], response.json()
    response = api_as(coordinator).get(f"{SUMMARY}?start=2025-03-01&end=2025-02-01")
    assert response.json() == {"end": ["The end of the period cannot be before its start."]}


def test_handover_list_as_csv(api_as, coordinator, seeded, in_english):
    response = api_as(coordinator).get(f"{HANDOVERS}?{QUERY}", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + EXPECTED["devices_handed_over"]
    assert [row[1] for row in rows[1:]] == ["2025-01-01", "2025-03-31"]
    assert rows[1][5] == "'" + EVIL_COURSE


def test_csv_client_gets_its_errors_as_csv(api_as, coordinator, in_english):
    response = api_as(coordinator).get(f"{HANDOVERS}?start=x&end=2025-01-01", HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response.content.decode().splitlines()[0] == "field,message"


def test_only_coordinators(api_client, api_as, trainer, technician):
    for url in (SUMMARY, HANDOVERS):
        assert api_client.get(f"{url}?{QUERY}").status_code in (401, 403)
        for user in (trainer, technician):
            assert api_as(user).get(f"{url}?{QUERY}").status_code == 403


def test_token_clients_read_the_summary(api_client, coordinator):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=coordinator)
    response = api_client.get(f"{SUMMARY}?{QUERY}", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_schema_documents_the_endpoints(api_as, coordinator):
    schema = api_as(coordinator).get("/api/schema/?format=json").json()
    summary = schema["paths"]["/api/reports/summary/"]["get"]
    assert {p["name"] for p in summary["parameters"]} >= {"start", "end", "structure"}
    properties = schema["components"]["schemas"]["ReportSummary"]["properties"]
    for name in ("devices_collected", "devices_ready", "devices_recycled", "kg_diverted", "handovers",
                 "households_enrolled", "households_completed", "households_equipped"):  # fmt: skip
        assert name in properties
    assert "text/csv" in schema["paths"]["/api/reports/handovers.csv"]["get"]["responses"]["200"]["content"]
