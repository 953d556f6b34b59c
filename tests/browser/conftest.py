"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

They are skipped, with the reason printed, when Chromium is not installed (`.ci/run`
installs it). Each test saves screenshots under test-results/browser/<test>/; a failing
test also keeps the page's HTML there.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.text import capfirst

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "browser"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 860}}


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed (apt-get install chromium): browser tests not run"
    )
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def t(text):
    """What the French screen shows for the English source ``text``."""
    with translation.override("fr"):
        return str(capfirst(translation.gettext(text)))


def field(scope, text):
    """The form field labelled with the French for ``text`` (required fields end in "*")."""
    return scope.get_by_label(re.compile(r"^\s*" + re.escape(t(text)) + r"\s*\*?\s*$"))


@pytest.fixture
def playwright_browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # One Playwright per test: two sync Playwright instances cannot be alive in one thread,
    # and other browser tests of the suite start their own. Playwright's sync API keeps an
    # event loop in this thread; the tests' ORM calls are ordinary synchronous ones, which
    # Django would otherwise refuse there.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(request, playwright_browser, live_server, viewport, transactional_db):
    context = playwright_browser.new_context(
        viewport=VIEWPORTS[viewport], locale="fr-FR", base_url=live_server.url, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    folder = RESULTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[1])
    folder.mkdir(parents=True, exist_ok=True)
    page.shots = []

    def shot(name):
        path = folder / f"{len(page.shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        page.shots.append(path)

    page.shot = shot
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        page.screenshot(path=str(folder / "failure.png"), full_page=True)
        (folder / "failure.html").write_text(page.content(), encoding="utf-8")
    context.close()


def log_in(page, user):
    page.goto("/accounts/login/")
    field(page, "username").fill(user.username)
    field(page, "password").fill(PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    page.wait_for_url("**/")


def expect_pdf(page, click):
    """Run ``click`` (which opens a document) and return the PDF bytes the server sent.

    Chromium hands PDF responses to its viewer, so the bytes are taken on the way in.
    """
    captured = []

    def keep_pdf(route):
        response = route.fetch()
        if response.headers.get("content-type", "").startswith("application/pdf"):
            captured.append(response.body())
        route.fulfill(response=response)

    page.route("**/*", keep_pdf)
    try:
        click()
        for _ in range(150):
            if captured:
                break
            page.wait_for_timeout(100)
    finally:
        page.unroute("**/*", keep_pdf)
    assert captured, "no PDF came back"
    assert captured[0].startswith(b"%PDF"), captured[0][:100]
    return captured[0]
