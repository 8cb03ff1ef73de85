"""Real-browser tests: Debian's chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_service

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told it is safe (it is: the test drives the browser, not the server's requests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e"


@pytest.fixture(scope="session")
def browser():
    require_service(Path(CHROMIUM).exists(), "chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh desktop page; on failure, screenshots at desktop and phone width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name
        page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(
    page,
    live_server,
    email: str,
    password: str,
    totp_secret: str | None = None,
    lands_on: str = "/",
) -> None:
    """Log in with the form; ``lands_on`` is where the login ends (a glob after the server's
    address): the dashboard for a member, the staff overview for staff without a member
    profile."""
    from tests.factories import totp_code

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if totp_secret:
        page.get_by_label("Code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{lands_on}")


def log_in_reviewer(page, live_server, reviewer) -> None:
    """Log in as CME staff with their authenticator app (``tests.factories.with_two_factor``);
    staff without a member profile land on the staff overview."""
    from tests.factories import PASSWORD

    log_in(
        page,
        live_server,
        reviewer.email,
        PASSWORD,
        totp_secret=reviewer.totp_secret,
        lands_on="/staff/",
    )
