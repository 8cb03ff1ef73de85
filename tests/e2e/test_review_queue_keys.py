"""A long review session with the keyboard only, the queue on a phone, and the import pages
(real chromium). Screenshots go to var/e2e/screens/ for a person to look at."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from credits.models import CreditEntry
from imports import services as import_services
from imports.models import ImportRun
from members.roster_import import ROSTER_REQUIRED
from tests.e2e.conftest import ARTIFACTS, log_in_reviewer
from tests.factories import (
    CreditEntryFactory,
    MemberFactory,
    UserFactory,
    in_cme_staff,
    with_two_factor,
)

# Serialized rollback restores what data migrations made (providers, the CME staff group).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENS = ARTIFACTS / "screens"
PHONE = {"width": 390, "height": 844}


def reviewer_logged_in(page, live_server):
    reviewer = UserFactory(email="reviewer@example.org", is_staff=True)
    in_cme_staff(reviewer)
    with_two_factor(reviewer)
    log_in_reviewer(page, live_server, reviewer)
    return reviewer


def claims(count: int) -> list[CreditEntry]:
    """``count`` pending claims, oldest first, titled "Claim 01", "Claim 02", ..."""
    members = [MemberFactory() for _ in range(5)]
    return [
        CreditEntryFactory(
            member=members[n % 5],
            title=f"Claim {n + 1:02}",
            patient_safety_credits=Decimal("1"),
        )
        for n in range(count)
    ]


def press(page, key: str) -> None:
    """A key that decides: it sends the form, and the queue comes back."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("domcontentloaded")


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def serious_issues(page) -> list[str]:
    """What axe-core finds serious or critical on the page, by rule and element."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']}: {node['html'][:120]}"
        for violation in violations
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def test_a_reviewer_clears_20_claims_with_the_keyboard_only(page, live_server):
    by_title = {claim.title: claim for claim in claims(20)}
    reviewer_logged_in(page, live_server)
    page.goto(f"{live_server.url}/staff/reviews/")
    expect(page.get_by_text("Keys (not while you type in a field)")).to_be_visible()
    expect(page.get_by_role("link", name="20 pending")).to_be_visible()

    # j j k: the second claim is selected; a approves it, not the first.
    for key in ("j", "j", "k"):
        page.keyboard.press(key)
    expect(page.locator(".queue-claim.is-current")).to_contain_text("Claim 02")
    press(page, "a")
    expect(page.get_by_role("link", name="19 pending")).to_be_visible()
    assert CreditEntry.objects.get(pk=by_title["Claim 02"].pk).review_status == "approved"
    assert CreditEntry.objects.get(pk=by_title["Claim 01"].pk).review_status == "pending"

    # The claim after it is selected now: n, a note (its letters decide nothing), Esc, d.
    expect(page.locator(".queue-claim.is-current")).to_contain_text("Claim 03")
    page.keyboard.press("n")
    expect(page.get_by_label("Note to the member")).to_be_focused()
    page.keyboard.type("Please upload the certificate; a, r and d are letters here.")
    page.keyboard.press("Escape")
    press(page, "d")

    expect(page.locator(".queue-claim.is-current")).to_contain_text("Claim 04")
    press(page, "a")

    # Claim 05: r without a note is caught in place, and nothing is decided.
    expect(page.locator(".queue-claim.is-current")).to_contain_text("Claim 05")
    page.keyboard.press("r")
    note = page.get_by_label("Note to the member")
    expect(note).to_be_focused()
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Say why the claim is rejected")).to_be_visible()
    assert CreditEntry.objects.get(pk=by_title["Claim 05"].pk).review_status == "pending"
    assert not by_title["Claim 05"].decisions.exists()
    page.keyboard.press("a")  # typed into the note: not an approval
    assert CreditEntry.objects.get(pk=by_title["Claim 05"].pk).review_status == "pending"
    page.keyboard.press("Control+a")
    page.keyboard.type("Not a patient-safety topic.")
    page.keyboard.press("Escape")
    press(page, "r")

    # The rest, and at last the first claim, approved with a.
    for _ in range(16):
        press(page, "a")
    page.get_by_text("The queue is clear.").wait_for()

    statuses = {
        title: CreditEntry.objects.get(pk=claim.pk).review_status
        for title, claim in by_title.items()
    }
    assert statuses.pop("Claim 03") == "documentation_requested"
    assert statuses.pop("Claim 05") == "rejected"
    assert set(statuses.values()) == {"approved"}
    assert by_title["Claim 05"].decisions.get().note == "Not a patient-safety topic."
    assert "Please upload the certificate" in by_title["Claim 03"].decisions.get().note
    for label in ("0 pending", "1 documentation requested", "18 approved", "1 rejected"):
        expect(page.get_by_role("link", name=label)).to_be_visible()


def test_the_queue_fits_a_phone_and_is_screenshotted(page, live_server):
    claims(3)
    CreditEntryFactory(
        title="Safe Sedation and Anesthesia in the Office-Based Surgical Facility: " * 2,
        patient_safety_credits=Decimal("2"),
        patient_safety_kind="quality_assurance",
    )
    reviewer_logged_in(page, live_server)
    SCREENS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/staff/reviews/")
    page.screenshot(path=str(SCREENS / "queue-1280.png"), full_page=True)
    assert width(page) <= 1280
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/staff/reviews/")
    page.screenshot(path=str(SCREENS / "queue-390.png"), full_page=True)

    assert width(page) <= PHONE["width"]
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    expect(page.get_by_label("Note to the member")).to_be_visible()


def test_the_import_pages_wrap_long_messages_and_offer_the_rejected_rows(page, live_server):
    reviewer = reviewer_logged_in(page, live_server)
    SCREENS.mkdir(parents=True, exist_ok=True)
    roster = ",".join(ROSTER_REQUIRED) + "\n1,a@example.org,A,B,active,2015-06-01\n"

    # A roster offered as meeting credits: named for what it is, and the page stays narrow.
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/staff/imports/")
        section = page.locator("#kind-meeting_credits")
        section.get_by_label("CSV file").set_input_files(
            files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster.encode()}]
        )
        section.get_by_role("button", name="Import meeting credits").click()
        expect(page.get_by_text("This looks like a members roster file")).to_be_visible()
        assert width(page) <= viewport["width"]
    page.screenshot(path=str(SCREENS / "imports-wrong-kind-390.png"), full_page=True)

    run = import_services.run_create(
        kind=ImportRun.Kind.ROSTER,
        file_name="spring-roster.csv",
        content=",".join(ROSTER_REQUIRED) + "\n1,not-an-email,A,B,active,2015-06-01\n"
        "2,b@example.org,=cmd,B,nobody,someday\n",
        uploaded_by=reviewer,
    )
    import_services.perform_run(run.pk)
    for viewport, name in (({"width": 1280, "height": 900}, "1280"), (PHONE, "390")):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/staff/imports/{run.pk}/")
        page.screenshot(path=str(SCREENS / f"import-run-{name}.png"), full_page=True)
        assert width(page) <= viewport["width"]
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download the 2 rejected rows")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("line,reason," + ",".join(ROSTER_REQUIRED))
    assert "'=cmd" in text


def test_axe_finds_nothing_serious_on_the_queue_and_the_import_pages(page, live_server):
    claims(3)
    reviewer = reviewer_logged_in(page, live_server)
    run = import_services.run_create(
        kind=ImportRun.Kind.ROSTER,
        file_name="r.csv",
        content=",".join(ROSTER_REQUIRED) + "\n1,not-an-email,A,B,active,2015-06-01\n",
        uploaded_by=reviewer,
    )
    import_services.perform_run(run.pk)

    page.goto(f"{live_server.url}/staff/reviews/")
    page.keyboard.press("j")
    page.keyboard.press("r")  # the note in error, in place
    expect(page.get_by_text("Say why the claim is rejected")).to_be_visible()
    found = {"queue": serious_issues(page)}
    page.set_viewport_size(PHONE)
    found["queue on a phone"] = serious_issues(page)
    page.goto(f"{live_server.url}/staff/imports/{run.pk}/")
    found["import run on a phone"] = serious_issues(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/staff/imports/{run.pk}/")
    found["import run"] = serious_issues(page)

    assert found == {name: [] for name in found}
