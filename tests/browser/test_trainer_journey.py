"""A trainer's course, on a phone and at a desk: sessions, enrolments, attendance by tap,
the attendance sheet, then a device reserved and handed over with its agreement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.choices import Role
from apps.allocations.models import Allocation
from apps.training.models import Attendance
from tests.devices.factories import DeviceFactory, ErasureFactory
from tests.factories import HouseholdFactory, StructureFactory, UserFactory

from .conftest import expect_pdf, field, log_in, t

pytestmark = pytest.mark.browser


def test_trainer_journey(page, viewport):
    mediatheque = StructureFactory(name="Médiathèque Louise-Michel", kind="mediatheque")
    trainer = UserFactory(username="claire", first_name="Claire", role=Role.TRAINER, structure=mediatheque)
    families = [
        HouseholdFactory(contact_name=name, structure=mediatheque)
        for name in ("Aminata Diallo", "Karim Haddad")
    ]
    device = DeviceFactory(status="ready", asset_tag="OP-000042", kind="laptop")
    ErasureFactory(device=device)
    today = timezone.localdate()
    log_in(page, trainer)

    # A course with two sessions, already held.
    page.get_by_role("link", name=t("Courses"), exact=True).first.click()
    page.get_by_role("link", name=t("New course")).click()
    field(page, "title").fill("Premiers pas numériques")
    field(page, "place").fill("Salle multimédia")
    field(page, "starts on").fill((today - timedelta(days=10)).isoformat())
    field(page, "ends on").fill((today + timedelta(days=30)).isoformat())
    field(page, "capacity").fill("8")
    field(page, "sessions to attend").fill("2")
    page.get_by_role("button", name=t("Save")).click()
    for days_ago, topic in ((7, "basic_use"), (3, "online_rights")):
        page.get_by_role("link", name=t("Add a session")).click()
        field(page, "starts at").fill(f"{today - timedelta(days=days_ago):%Y-%m-%d}T14:00")
        field(page, "topic").select_option(topic)
        page.get_by_role("button", name=t("Save")).click()
    course_url = page.url

    # Two households enrolled.
    for family in families:
        page.get_by_role("searchbox", name=t("Household to enrol (name or phone)")).fill(family.contact_name)
        page.get_by_role("button", name=t("Find")).click()
        page.get_by_role("button", name=t("Enrol %(name)s") % {"name": family.contact_name}).click()
    page.shot("course")

    # Attendance, one tap per household, at both sessions.
    sessions = page.locator("a[href*='/training/sessions/']:not([href$='.pdf'])")
    session_urls = [sessions.nth(i).get_attribute("href") for i in range(sessions.count())]
    assert len(session_urls) == 2
    for url in session_urls:
        page.goto(url)
        tap = page.get_by_role("button", name=families[0].contact_name)
        tap.click()
        page.get_by_role("button", name=families[0].contact_name, pressed=True).wait_for()
    page.shot("attendance")
    assert Attendance.objects.filter(present=True, enrolment__household=families[0]).count() == 2
    expect_pdf(page, lambda: page.get_by_role("link", name=t("Attendance sheet (PDF)")).click())

    # Aminata has met the course rule: a laptop is reserved and handed over.
    page.goto(course_url)
    page.get_by_role("link", name=families[0].contact_name).first.click()
    page.get_by_role(
        "link", name=t("Reserve devices (course “%(course)s”)") % {"course": "Premiers pas numériques"}
    ).click()
    page.get_by_label(t("Gift")).check()
    field(page, "Asset tags of the devices").fill("op-000042")
    page.get_by_role("button", name=t("Reserve"), exact=True).click()
    page.get_by_role("button", name=t("Hand over the devices")).click()
    page.shot("handed-over")
    allocation = Allocation.objects.get()
    assert (allocation.status, allocation.household_id) == ("active", families[0].pk)
    pdf = expect_pdf(page, lambda: page.get_by_role("link", name=t("Agreement (PDF)")).click())
    assert len(pdf) > 1000
