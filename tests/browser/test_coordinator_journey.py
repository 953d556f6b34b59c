"""A coordinator answers a funder: the figures for a period, exported to CSV and XLSX,
and the history of a device, on a phone and at a desk."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.allocations.models import Allocation
from tests.factories import PASSWORD

from .conftest import expect_pdf, field, log_in, t

pytestmark = pytest.mark.browser


def test_coordinator_journey(page, viewport):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    coordinator = User.objects.get(username="coordinatrice")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    allocation = Allocation.objects.get()
    device = allocation.items.get().device
    log_in(page, coordinator)

    # The figures of this year.
    page.get_by_role("link", name=t("Reports"), exact=True).first.click()
    field(page, "From").fill(date(timezone.localdate().year, 1, 1).isoformat())
    field(page, "To (included)").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name=t("Show the figures")).click()
    page.get_by_role("heading", name=t("Devices"), exact=True).wait_for()
    page.shot("dashboard")

    # The hand-overs of the period, as a spreadsheet and as CSV.
    with page.expect_download() as csv_download:
        page.get_by_role("link", name=t("Hand-overs (CSV)")).click()
    csv_text = open(csv_download.value.path(), encoding="utf-8-sig").read()
    assert device.asset_tag in csv_text
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name=t("Hand-overs (XLSX)")).click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read())).worksheets[0]
    assert device.asset_tag in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    expect_pdf(page, lambda: page.get_by_role("link", name=t("Activity report (PDF)")).click())

    # Who did what to this device.
    page.goto(device.get_absolute_url())
    page.get_by_role("link", name=t("History of changes")).click()
    assert device.asset_tag in page.content()
    assert "Karim Benali" in page.content()
    page.shot("device-history")
