"""Production settings: content security policy, secure cookies, HSTS, session rotation,
and templates that need no inline script or style (so the policy never has to be relaxed)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.core.test_settings import PRODUCTION_ENV, run_manage
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _csp(response):
    return response.headers.get("Content-Security-Policy", "")


@pytest.mark.parametrize("url", ["/", "/devices/", "/admin/", "/api/docs/", "/households/"])
def test_csp_header_on_app_pages_admin_and_api_docs(url, client_as, coordinator):
    response = client_as(coordinator).get(url)
    assert response.status_code == 200, url
    policy = _csp(response)
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    if url == "/api/docs/":
        # Swagger UI's inline styles are allowed on that page only.
        assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self'" in policy
    else:
        # Our own pages: no inline anything.
        assert "'unsafe-inline'" not in policy
        assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_login_page_has_the_policy_and_no_framing(db):
    response = Client().get("/accounts/login/")
    assert "default-src 'self'" in _csp(response)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> (use a static file)"),
    (re.compile(r"<style\b", re.I), "<style> element (use static/css)"),
    (re.compile(r"\sstyle=", re.I), "style= attribute (use a class)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= event handler (use a static script)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_style_or_handler():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = re.sub(r"{#.*?#}", "", path.read_text(), flags=re.S)  # comments are never sent
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert problems == []


def test_session_key_rotates_at_login(trainer):
    client = Client()
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    response = client.post("/accounts/login/", {"username": "trainer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"
    assert client.session.session_key != "attacker-chosen-session-id"


def test_hsts_and_https_redirect_when_https_is_on(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()
    assert client.get("/accounts/login/").status_code == 301
    response = client.get("/accounts/login/", secure=True)
    assert response.headers[
        "Strict-Transport-Security"
    ] == "max-age=31536000; includeSubDomains; preload" or (
        response.headers["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    )


def test_production_settings_are_secure():
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.DEBUG, len(s.AUTH_PASSWORD_VALIDATORS), s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True True 31536000 True False 4 [['username', 'ip_address']]"


# In a real browser: no page of ours, nor the admin or the API docs, breaks the policy. ------


# Run in a child process: Playwright's sync API keeps an event loop in its thread, and the
# browser tests (tests/browser) hold one for the whole session in this process.
BROWSE = """
import json, sys
from playwright.sync_api import sync_playwright
chromium, base, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
violations = []
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path=chromium, args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
    )
    for username, password, urls in plan:
        page = browser.new_page()
        page.on("console", lambda m, page=page: violations.append([page.url, m.text])
                if "Content Security Policy" in m.text else None)
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form:has(input[name=password]) [type=submit]")
        page.wait_for_load_state("networkidle")
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            if url == "/api/docs/":
                page.wait_for_selector(".swagger-ui .info", timeout=15000)
        page.close()
    browser.close()
print(json.dumps(violations))
"""


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed on this machine")
@pytest.mark.django_db(transaction=True)
def test_no_csp_violation_in_chromium(
    live_server, regie, mediatheque, trainer, technician, coordinator, tmp_path, settings
):
    from .conftest import build_world

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(regie=regie, mediatheque=mediatheque, trainer=trainer, technician=technician)
    plan = [
        # The session page is where attendance is taken, with htmx.
        (trainer.username, PASSWORD, ["/", world.device.get_absolute_url(), f"/training/sessions/{world.session.pk}/",
                                      world.household.get_absolute_url()]),
        (coordinator.username, PASSWORD, ["/admin/", "/admin/households/household/", "/api/docs/", "/reports/", "/privacy/"]),
    ]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", BROWSE, CHROMIUM, live_server.url, json.dumps(plan)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == []
