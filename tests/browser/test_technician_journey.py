"""A technician's day, on a phone and at a desk: a donation comes in, three laptops are
logged, reconditioned, erased, made ready and labelled; one is found again by its tag."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.utils import translation

from apps.accounts.choices import Role
from apps.devices.models import Device
from tests.factories import StructureFactory, UserFactory

from .conftest import expect_pdf, field, log_in, t

pytestmark = pytest.mark.browser


def move_to(status_label):
    """The name of the button that moves a device to a status, as the French screen says it."""
    with translation.override("fr"):
        return translation.gettext("Move to “%(status)s”") % {"status": translation.gettext(status_label)}


def test_technician_journey(page, viewport):
    regie = StructureFactory(name="Régie des Tilleuls", kind="regie")
    technician = UserFactory(username="karim", role=Role.TECHNICIAN, structure=regie)
    log_in(page, technician)
    page.shot("home")

    # A donor and its donation.
    page.get_by_role("link", name=t("Donations"), exact=True).first.click()
    page.get_by_role("link", name=t("Donors"), exact=True).click()
    page.get_by_role("link", name=t("New donor")).click()
    field(page, "name").fill("Mairie de Villeurbanne")
    field(page, "kind").select_option("public_body")
    page.get_by_role("button", name=t("Save")).click()
    page.get_by_role("link", name=t("New donation")).click()
    field(page, "collection site").fill("Hôtel de ville")
    page.get_by_role("button", name=t("Save")).click()
    page.shot("donation")

    # Three laptops in a row: the form keeps the kind, brand and model.
    intake = page.locator("#intake")
    field(intake, "kind").select_option("laptop")
    field(intake, "brand").fill("Dell")
    field(intake, "model").fill("Latitude E7450")
    for n in (1, 2, 3):
        intake = page.locator("#intake")
        if n > 1:
            assert field(intake, "brand").input_value() == "Dell"
            assert field(intake, "model").input_value() == "Latitude E7450"
        field(intake, "serial number").fill(f"SN-{n}")
        field(intake, "storage (GB)").fill("256")
        field(intake, "weight (kg)").fill("1.6")
        intake.get_by_role("button", name=t("Save and add the next one")).click()
        page.get_by_role("status").get_by_text(f"OP-00000{n}").wait_for()
    page.shot("three-devices")
    tags = ["OP-000001", "OP-000002", "OP-000003"]
    donation_url = page.url.split("#")[0]

    # The first one, step by step on its own page.
    page.get_by_role("link", name=tags[0]).click()
    page.get_by_role("button", name=move_to("In diagnosis")).click()
    page.get_by_role("link", name=t("Record an intervention")).click()
    field(page, "kind").select_option("diagnosis")
    field(page, "what was done").fill("Batterie 80 %, écran sans défaut")
    field(page, "minutes spent").fill("20")
    page.get_by_role("button", name=t("Save")).click()
    page.get_by_role("button", name=move_to("In reconditioning")).click()

    # Every drive is wiped before anything can be ready.
    for tag in tags:
        page.goto(f"/devices/{tag}/")
        page.get_by_role("link", name=t("Record an erasure")).click()
        field(page, "method").select_option("overwrite")
        field(page, "tool").fill("nwipe")
        field(page, "drive serial number").fill(f"DRIVE-{tag}")
        field(page, "result").select_option("passed")
        page.get_by_role("button", name=t("Save")).click()
    page.goto(f"/devices/{tags[0]}/")
    page.get_by_role("button", name=move_to("Ready")).click()
    page.shot("device-ready")

    # The two others move together from the donation page, through their steps.
    page.goto(donation_url)
    for status in ("diagnosis", "reconditioning", "ready"):
        for tag in tags[1:]:
            page.get_by_label(t("Select %(tag)s") % {"tag": tag}).check()
        field(page, "Move the selected devices to").select_option(status)
        page.get_by_role("button", name=t("Move the selected devices")).click()
    page.shot("donation-all-ready")
    assert set(Device.objects.values_list("status", flat=True)) == {"ready"}

    # Their labels, and the donor's receipt.
    page.get_by_role("link", name=t("Print the labels")).click()
    page.shot("print-labels")
    pdf = expect_pdf(page, lambda: page.get_by_role("button", name=t("Print the labels")).click())
    image = pypdfium2.PdfDocument(io.BytesIO(pdf))[0].render(scale=300 / 72).to_pil()
    decoded = sorted(code.text for code in zxingcpp.read_barcodes(image))
    assert [text for text in decoded if text.startswith("OP-")] == tags
    page.goto(donation_url)
    expect_pdf(page, lambda: page.get_by_role("link", name=t("Donation receipt (PDF)")).click())

    # A USB scanner types the tag into the search box and presses Enter.
    page.goto("/")
    search = field(page, "Scan or type an asset tag")
    search.fill(tags[1])
    search.press("Enter")
    page.wait_for_url(f"**/devices/{tags[1]}/")
    page.get_by_role("heading", name=tags[1]).wait_for()
    page.shot("found-by-tag")
