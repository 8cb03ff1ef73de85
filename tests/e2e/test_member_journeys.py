"""A member's and a reviewer's journeys in a real browser (Debian's chromium)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from credits.models import CreditEntry
from members.models import AuditEvent
from tests.e2e.conftest import log_in, log_in_reviewer
from tests.factories import (
    PASSWORD,
    CreditEntryFactory,
    MemberFactory,
    UserFactory,
    in_cme_staff,
    totp_code,
    with_two_factor,
)
from tests.today import shifted_iso

# Serialized rollback restores what data migrations made (providers, the CME staff group).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def member(db):
    return MemberFactory(user__email="surgeon@example.org", first_name="Grace", last_name="Hopper")


def fill_entry(page, **values: str) -> None:
    fields = {
        "Title of activity": "Breast Reconstruction Symposium",
        "CME credits": "7.5",
        "Plastic surgery credits": "7.5",
        "Patient safety credits": "1.5",
        "Accredited provider": "Baker Gordon Educational Foundation",
        "Start date": shifted_iso("2026-03-20"),
        "End date": shifted_iso("2026-03-21"),
        **values,
    }
    page.get_by_label("Type of activity").select_option("live_activity")
    page.get_by_label("CME category").select_option("1")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)


def test_a_member_submits_cme_and_takes_the_report_away(page, live_server, member, tmp_path):
    log_in(page, live_server, member.user.email, PASSWORD)
    expect(page.get_by_text("0 / 150")).to_be_visible()

    page.get_by_role("link", name="Submit CME").first.click()
    fill_entry(page)
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Certificate (optional)").set_input_files(str(certificate))
    page.get_by_role("button", name="Submit CME").click()

    expect(page.get_by_text("Recorded: Breast Reconstruction Symposium")).to_be_visible()
    expect(page.get_by_text("7.5 / 150")).to_be_visible()
    expect(page.get_by_text("1.5 pending review")).to_be_visible()
    assert CreditEntry.objects.get().certificate

    page.get_by_role("link", name="CME Report").first.click()
    expect(
        page.get_by_role("heading", name=re.compile("CME Report for Cycle Ending"))
    ).to_be_visible()
    pdf = page.request.get(f"{live_server.url}/reports/cme/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Breast Reconstruction Symposium" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Data file (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as data_file:
        rows = list(csv.DictReader(data_file))
    assert [row["title"] for row in rows] == ["Breast Reconstruction Symposium"]


def test_errors_show_next_to_the_field_and_keep_what_was_typed(page, live_server, member):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/new/")
    fill_entry(page, **{"Title of activity": "My carefully typed title", "CME credits": "1.3"})
    page.get_by_role("button", name="Submit CME").click()

    field = page.locator(".field-credits")
    expect(field.locator(".errorlist")).to_contain_text("Credits come in steps of 0.25")
    expect(page.get_by_label("Title of activity")).to_have_value("My carefully typed title")
    expect(page.get_by_label("CME credits", exact=True)).to_have_value("1.3")
    assert not CreditEntry.objects.exists()


def test_staff_review_a_claim_and_the_member_sees_the_decision(browser, live_server, member):
    CreditEntryFactory(
        member=member, title="Anesthesia safety course", patient_safety_credits=Decimal("2")
    )
    reviewer = with_two_factor(UserFactory(email="reviewer@example.org", is_staff=True))
    in_cme_staff(reviewer)

    staff_page = browser.new_context().new_page()
    log_in_reviewer(staff_page, live_server, reviewer)
    staff_page.goto(f"{live_server.url}/staff/reviews/")
    staff_page.get_by_label("Note to the member").fill("Not a patient-safety topic.")
    staff_page.get_by_role("button", name="Reject").click()
    expect(staff_page.get_by_text("The queue is clear.")).to_be_visible()

    member_page = browser.new_context().new_page()
    log_in(member_page, live_server, member.user.email, PASSWORD)
    expect(member_page.get_by_text("Not a patient-safety topic.")).to_be_visible()
    member_page.get_by_role("link", name="Anesthesia safety course").first.click()
    expect(member_page.get_by_text("did not accept the patient-safety credits")).to_be_visible()


def test_a_member_turns_on_two_factor_and_logs_in_with_a_code(page, live_server, member):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    if page.get_by_role("heading", name="Confirm access").is_visible():
        page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before 2FA changes
        page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Recovery codes").first).to_be_visible()
    assert AuditEvent.objects.filter(action="mfa_added", actor=member.user).exists()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/", "/credits/new/", "/credits/", "/reports/cme/"]
)
def test_main_pages_pass_the_accessibility_check(page, live_server, member, path):
    CreditEntryFactory(member=member)
    if path != "/accounts/login/":
        log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}{path}")

    results = Axe().run(page)

    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
