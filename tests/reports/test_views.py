"""The dashboard: the known figures on screen, charts with their text alternative, who may see it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.allocations.models import Allocation, AllocationItem
from apps.devices.models import StatusChange
from apps.reports.charts import Series, bar_chart
from tests.devices.factories import DeviceFactory, DonationFactory
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    HouseholdFactory,
    SessionFactory,
)

from .conftest import EVIL_NEIGHBOURHOOD, EXPECTED, QUERY, html_tables, paris

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
REPORT_URLS = [
    DASHBOARD,
    reverse("reports:report_pdf"),
    reverse("reports:report_xlsx"),
    reverse("reports:table_export", args=["funnel", "csv"]),
    reverse("reports:table_export", args=["neighbourhoods", "xlsx"]),
    reverse("reports:handovers", args=["csv"]),
    reverse("reports:handovers", args=["xlsx"]),
    reverse("reports:history"),
    reverse("reports:object_history", args=["device", 1]),
]


def dashboard(client, query=QUERY):
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    return response


def test_the_known_figures_on_screen(client_as, coordinator, seeded, in_english):
    response = dashboard(client_as(coordinator))
    report = response.context["report"]
    assert report.devices.collected == EXPECTED["devices_collected"]
    assert report.handovers.total == EXPECTED["handovers"]
    html = response.content.decode()
    key_figures = {
        "Devices collected": "6",
        "Devices made ready": "4",
        "Devices handed over": "2",
        "Devices recycled or destroyed": "2",
        "Kilograms diverted from waste (recycled or destroyed)": "3.00",
        "Kilograms reused (handed over)": "3.50",
        "Devices handed over with no weight recorded (not in the kilograms)": "0",
        "Hand-overs": "2",
        "Households referred": "5",
        "Households enrolled": "4",
        "Households that completed their course": "3",
        "Households equipped": "2",
        "Attendance rate (%)": "70.0",
        "Completion rate (%)": "75.0",
    }
    for label, value in key_figures.items():
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html, label

    tables = html_tables(html)
    assert tables["table-funnel"][1:] == [
        ["Collected", "6", "11.00"],
        ["Made ready", "4", "—"],
        ["Handed over", "2", "3.50"],
        ["Returned", "1", "—"],
        ["Recycled", "1", "2.00"],
        ["Destroyed", "1", "1.00"],
        ["Lost or stolen", "0", "—"],
    ]
    assert tables["table-flows"][1:] == [
        ["January 2025", "5", "0", "1"],
        ["February 2025", "1", "3", "0"],
        ["March 2025", "0", "1", "1"],
        ["Total", "6", "4", "2"],
    ]
    assert tables["table-delays"][1:] == [
        ["Collection → ready", "32.5"],
        ["Ready → hand-over", str(EXPECTED["avg_ready_to_handover"])],
    ]
    assert tables["table-households"][1:] == [
        ["Referred", "5", "4", "80.0"],
        ["Enrolled", "4", "3", "75.0"],
        ["Completed their course", "3", "2", "66.7"],
        ["Equipped", "2", "1", "50.0"],
    ]
    assert tables["table-neighbourhoods"][1:] == [
        [EVIL_NEIGHBOURHOOD, "No", "1", "1", "1", "1"],
        ["Les Buers", "Yes", "4", "3", "2", "1"],
        ["Total", "", "5", "4", "3", "2"],
    ]
    assert tables["table-genders"][-2:] == [["Not given", "2", "1", "0", "0"], ["Total", "5", "4", "3", "2"]]
    training = dict(tables["table-training"][1:])
    assert training["Sessions held"] == "4"
    assert training["Attendance rate (%)"] == "70.0"
    follow_ups = dict(tables["table-follow_ups"][1:])
    assert (
        follow_ups["Contacts that reached the household"],
        follow_ups["Computer in use"],
        follow_ups["Problems reported"],
    ) == (
        "2",
        "1",
        "1",
    )
    assert tables["table-stock"][-1] == ["Total", "9", "1", "2"]


def test_french_numbers_on_screen(client_as, coordinator, seeded):
    html = dashboard(client_as(coordinator)).content.decode()
    assert "<dd>3,00</dd>" in html and "<dd>70,0</dd>" in html


def test_default_period_is_the_year_to_date(client_as, coordinator):
    response = client_as(coordinator).get(DASHBOARD)
    today = timezone.localdate()
    assert response.context["report"].period.start == date(today.year, 1, 1)
    assert response.context["report"].period.end == today
    links = [link["label"] for link in response.context["quick_periods"] if link.get("current")]
    assert len(links) == 1


def test_a_bad_period_shows_the_errors_and_no_figures(client_as, coordinator, in_english):
    response = client_as(coordinator).get(f"{DASHBOARD}?start=2025-03-01&end=2025-02-01")
    assert response.status_code == 200
    assert "report" not in response.context
    assert "The end of the period cannot be before its start." in response.content.decode()
    bad = client_as(coordinator).get(reverse("reports:report_pdf") + "?start=2025-13-01&end=2025-02-01")
    assert bad.status_code == 400


def test_charts_are_svg_with_captions_and_tables(client_as, coordinator, seeded):
    html = dashboard(client_as(coordinator)).content.decode()
    for key in ("funnel", "flows", "households", "neighbourhoods"):
        assert f'<figcaption id="caption-{key}">' in html
        assert f'role="img" aria-labelledby="caption-{key}"' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert 'style="' not in html.split("<main", 1)[1]  # the CSP refuses inline styles


def test_bar_chart_is_readable_without_colour_and_escapes_text():
    svg = bar_chart(
        chart_id="c",
        labelledby="cap",
        categories=["<b>Bel-Air</b>", "Centre"],
        series=[Series("Enrolled", (12, 0)), Series("Equipped", (3, 1))],
    )
    assert "&lt;b&gt;Bel-Air&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'fill="url(#c-hatch)"' in svg  # the second series is hatched, not just another colour
    assert svg.count('stroke="#1b1f23"') >= 4  # every bar outlined
    for value in (">12<", ">3<", ">0<", ">1<"):
        assert value in svg  # every bar says its value
    assert ">Enrolled<" in svg and ">Equipped<" in svg  # the legend


def test_only_coordinators_see_reports(client, client_as, trainer, technician, coordinator):
    for url in REPORT_URLS:
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], url
    for user in (trainer, technician):
        c = client_as(user)
        for url in REPORT_URLS:
            assert c.get(url).status_code == 403, (user, url)
    assert client_as(coordinator).get(DASHBOARD).status_code == 200


def test_menu_entries_follow_the_permission(client_as, trainer, coordinator, in_english):
    html = client_as(coordinator).get("/").content.decode()
    assert f'href="{DASHBOARD}"' in html and f'href="{reverse("reports:history")}"' in html
    html = client_as(trainer).get("/").content.decode()
    assert f'href="{DASHBOARD}"' not in html


def add_activity(count, *, structure):
    """``count`` more of everything the report counts, inside the period."""
    donation = DonationFactory(received_on=date(2025, 2, 1))
    for _ in range(count):
        device = DeviceFactory(donation=donation, weight_kg=Decimal("2.00"))
        StatusChange.objects.create(
            device=device, from_status="reconditioning", to_status="ready", at=paris(2025, 2, 2, 9)
        )
        StatusChange.objects.create(
            device=device, from_status="reserved", to_status="allocated", at=paris(2025, 2, 3, 9)
        )
        course = CourseFactory(structure=structure, starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 31))
        session = SessionFactory(course=course, starts_at=paris(2025, 2, 1, 14))
        household = HouseholdFactory(structure=structure, created_at=paris(2025, 1, 20, 10))
        enrolment = EnrolmentFactory(course=course, household=household)
        AttendanceFactory(session=session, enrolment=enrolment)
        allocation = Allocation.objects.create(
            household=household, enrolment=enrolment, structure=structure, kind="gift", status="active",
            handed_over_at=paris(2025, 2, 3, 9),
        )  # fmt: skip
        AllocationItem.objects.create(allocation=allocation, device=device)


def test_dashboard_queries_do_not_grow_with_the_data(
    client_as, coordinator, seeded, mediatheque, trainer, queries_do_not_grow, django_assert_max_num_queries
):
    client = client_as(coordinator)
    url = f"{DASHBOARD}?{QUERY}"
    queries_do_not_grow(lambda: client.get(url), lambda: add_activity(15, structure=mediatheque))
    assert client.get(url).context["report"].handovers.total == EXPECTED["handovers"] + 15
    with django_assert_max_num_queries(25):
        client.get(url)


def test_history_link_on_device_and_allocation_pages(client_as, coordinator, technician, seeded, in_english):
    device_url = reverse("devices:device_detail", args=[seeded.a1.asset_tag])
    history_url = reverse("reports:object_history", args=["device", seeded.a1.pk])
    assert f'href="{history_url}"' in client_as(coordinator).get(device_url).content.decode()
    assert f'href="{history_url}"' not in client_as(technician).get(device_url).content.decode()
    allocation_url = reverse("allocations:allocation_detail", args=[seeded.a1_alloc.pk])
    history_url = reverse("reports:object_history", args=["allocation", seeded.a1_alloc.pk])
    assert f'href="{history_url}"' in client_as(coordinator).get(allocation_url).content.decode()
    assert f'href="{history_url}"' not in client_as(technician).get(allocation_url).content.decode()


def test_period_dates_are_kept_in_the_export_links(client_as, coordinator, mediatheque):
    html = dashboard(client_as(coordinator), f"{QUERY}&structure={mediatheque.pk}").content.decode()
    assert (
        f"{reverse('reports:report_pdf')}?start=2025-01-01&amp;end=2025-03-31&amp;structure={mediatheque.pk}"
        in html
    )
    assert (
        f"{reverse('reports:handovers', args=['csv'])}?start=2025-01-01&amp;end=2025-03-31&amp;structure={mediatheque.pk}"
        in html
    )


def test_a_long_period_keeps_its_table_but_not_its_chart(client_as, coordinator, in_english):
    start = date(2015, 1, 1)
    response = dashboard(client_as(coordinator), f"start={start}&end={start + timedelta(days=365 * 4)}")
    assert "flows" not in response.context["charts"]
    assert "the table gives every month" in response.content.decode()
