"""Every main page, in French as users see it, passes axe-core (WCAG 2.1 AA rules) with no
serious or critical violation, on a phone and at a desk."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from apps.allocations.models import Allocation
from apps.devices.models import Device, Donation
from apps.households.models import Household
from apps.training.models import Course, Enrolment, Session

from .conftest import RESULTS, field, t

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}


def pages_of(role):
    device = Device.objects.order_by("pk").first()
    donation = Donation.objects.order_by("pk").first()
    course = Course.objects.order_by("pk").first()
    session = Session.objects.filter(course=course).order_by("starts_at").first()
    household = Household.objects.order_by("pk").first()
    allocation = Allocation.objects.order_by("pk").first()
    enrolment = Enrolment.objects.filter(course=course, status="enrolled").order_by("pk").first()
    common = ["/", "/devices/", device.get_absolute_url(), "/allocations/", allocation.get_absolute_url()]
    return {
        "technicien": [*common, "/donations/", donation.get_absolute_url(), f"/donations/{donation.pk}/import/",
                       f"/devices/labels/?donation={donation.pk}", f"/devices/{device.asset_tag}/erasures/new/"],
        "formatrice": [*common, "/training/", course.get_absolute_url(), session.get_absolute_url(),
                       "/households/", household.get_absolute_url(), "/households/new/", "/allocations/new/",
                       f"/allocations/new/?enrolment={enrolment.pk}",
                       reverse("training:enrolment_create", args=[course.pk])],
        "coordinatrice": [*common, "/reports/", "/reports/history/", "/households/neighbourhoods/"],
    }[role]  # fmt: skip


def log_in_demo(page, username):
    page.goto("/accounts/login/")
    field(page, "username").fill(username)
    field(page, "password").fill("ordipratique")
    page.get_by_role("button", name=t("Log in")).click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("role", ["technicien", "formatrice", "coordinatrice"])
def test_main_pages_have_no_serious_accessibility_violation(page, role, viewport):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    axe = Axe()
    problems = {}
    page.goto("/accounts/login/")
    urls = ["/accounts/login/"]
    log_in_demo(page, role)
    urls += pages_of(role)
    for url in urls:
        if url != "/accounts/login/":
            page.goto(url)
        assert page.locator("html").get_attribute("lang") == "fr"
        results = axe.run(page, options=AXE_OPTIONS)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            problems[url] = [
                {
                    "rule": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:5],
                }  # fmt: skip
                for v in serious
            ]
    report = RESULTS / f"axe-{role}-{viewport}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(problems, indent=2, ensure_ascii=False), encoding="utf-8")
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)
