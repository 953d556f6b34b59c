"""The attendance screen in a real browser, phone-sized: each tap is saved at once (htmx),
only its row and the count change, and the page never reloads."""

import shutil

import pytest
from django.db import connections

from apps.training.models import Attendance
from tests.factories import PASSWORD, EnrolmentFactory, HouseholdFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed on this machine"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("in_english"),
]


@pytest.fixture
def phone(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM reads are
    # still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        yield page
        browser.close()


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def saved():
    """``saved(enrolment)``: the attendance stored for it, read while the browser runs.

    Playwright's loop gives the test body a context of its own, with its own database
    connection; it is closed here, in that context, or PostgreSQL could not drop the test
    database at the end of the run."""

    def read(enrolment):
        attendance = Attendance.objects.filter(enrolment=enrolment).first()
        connections.close_all()
        return None if attendance is None else attendance.present

    return read


def test_taking_attendance_on_a_phone(live_server, phone, trainer, course, sessions, saved):
    fatima, karim = (
        EnrolmentFactory(
            course=course, household=HouseholdFactory(contact_name=name, structure=trainer.structure)
        )
        for name in ["Fatima Benali", "Karim Haddad"]
    )
    log_in(phone, live_server.url, trainer)
    phone.goto(live_server.url + sessions[0].get_absolute_url())
    phone.evaluate("window.notReloaded = true")

    row = phone.locator(f"#household-{fatima.household.pk}")
    row.get_by_role("button", name="Fatima Benali").click()
    row = phone.locator(f"#household-{fatima.household.pk}")
    row.locator("button[aria-pressed=true]").wait_for()

    assert phone.locator("#present-count").inner_text() == "1 present of 2"
    assert "Present" in row.inner_text()
    assert phone.evaluate("window.notReloaded") is True
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert saved(fatima) is True
    assert saved(karim) is None

    row.get_by_role("button", name="Fatima Benali").click()
    phone.locator(f"#household-{fatima.household.pk} button[aria-pressed=false]").wait_for()

    assert phone.locator("#present-count").inner_text() == "0 present of 2"
    assert saved(fatima) is False
