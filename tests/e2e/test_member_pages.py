"""The member's dashboard, the CME report (screen, print, PDF), the verification page and the
invitation in a real browser: the "Action needed" strip and its links, no page wider than a
phone, every column of the printed report on a Letter or A4 page, the totals printed once.

Screenshots of each page at 1280×900 and 390×844 land in var/screens/ (looked at by people,
not compared by the tests)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from credits.models import HeldMeetingCredit
from reports.models import IssuedReport
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CreditEntryFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The printable width of a portrait page at 96 px per inch, with the print stylesheet's
# half-inch side margins: Letter 8.5 in, A4 210 mm.
PRINTABLE = {"Letter": round((8.5 - 1) * 96), "A4": round((210 / 25.4 - 1) * 96)}


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


@pytest.fixture
def member(db):
    """Everything the strip can say: a documentation request, a rejected claim, a held
    meeting credit and requirements met only thanks to pending patient-safety claims."""
    member = MemberFactory(
        user__email="surgeon@example.org", first_name="Grace", last_name="Hopper",
        asaps_member=True,
    )  # fmt: skip
    for index in range(5):
        CreditEntryFactory(
            member=member,
            title=f"Annual Meeting of Aesthetic Plastic Surgery, Session {index + 1}",
            credits=Decimal("30"),
            plastic_surgery_credits=Decimal("12"),
            patient_safety_credits=Decimal("0"),
            source="society_import" if index % 2 else "self_reported",
        )
    CreditEntryFactory(
        member=member, title="Safe Sedation in the Office", credits=Decimal("36"),
        patient_safety_credits=Decimal("36"), review_status="pending",
    )  # fmt: skip
    CreditEntryFactory(
        member=member, title="Airway Emergencies Workshop",
        review_status="documentation_requested",
    )  # fmt: skip
    CreditEntryFactory(member=member, title="Device Training Course", review_status="rejected")
    HeldMeetingCredit.objects.create(
        asps_id=member.asps_id, activity_code="PSTM25-S101",
        row={"activity_title": "Plastic Surgery The Meeting 2025: Breast session", "credits": "2"},
    )  # fmt: skip
    return member


def serious_issues(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is."""
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_action_strip_comes_first_and_its_links_lead_to_what_to_do(page, live_server, member):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.reload()  # without the one-time "signed in" message (base.html's, checked elsewhere)

    strip = page.locator("#actions")
    expect(strip).to_be_visible()
    strip_top = strip.bounding_box()["y"]
    assert strip_top < page.locator("#body-asps").bounding_box()["y"]  # before the verdict
    expect(strip).to_contain_text("1 documentation request")
    expect(strip).to_contain_text("1 patient-safety claim not accepted")
    expect(strip).to_contain_text("1 meeting credit waiting for your CME evaluation")
    expect(strip).to_contain_text("Met only if the 37 pending patient-safety credits are approved")
    expect(page.locator("#body-asps")).to_contain_text("Met (pending review)")
    # ASAPS judges by the same numbers: one line, not the four tiles again.
    expect(page.locator("#body-asaps")).to_contain_text("Same requirements and cycle as ASPS")
    assert page.locator("#body-asaps .requirement").count() == 0
    assert serious_issues(page) == []
    screenshot(page, "dashboard-actions-desktop")
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"]
    screenshot(page, "dashboard-actions-phone")
    page.set_viewport_size(DESKTOP)

    strip.get_by_role("link", name=re.compile("Airway Emergencies Workshop")).click()
    expect(page.get_by_role("heading", name="Airway Emergencies Workshop")).to_be_visible()
    page.go_back()
    page.locator("#actions").get_by_role("link", name=re.compile("Device Training Course")).click()
    expect(page.get_by_role("heading", name="Device Training Course")).to_be_visible()
    page.go_back()
    page.locator("#actions").get_by_role("link", name="Your entries").click()
    expect(page).to_have_url(f"{live_server.url}/credits/")
    page.go_back()
    evaluation = page.locator("#actions .action-evaluation a")
    assert evaluation.get_attribute("href").startswith("https://www.plasticsurgery.org/")


def test_a_member_with_nothing_to_do_sees_no_strip(page, live_server, db):
    quiet = MemberFactory(user__email="quiet@example.org", last_name="Quiet")
    CreditEntryFactory(member=quiet, patient_safety_credits=Decimal("0"))
    log_in(page, live_server, quiet.user.email, PASSWORD)

    expect(page.locator("#body-asps")).to_be_visible()
    expect(page.locator("#actions")).to_have_count(0)
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "dashboard-quiet-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "dashboard-quiet-phone")
    assert height < 2000, height  # was 2,500–3,100 px


def test_the_report_and_the_verify_page_fit_a_phone(page, live_server, member, browser):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/reports/cme/")
    expect(page.locator(".verdict-line").first).to_contain_text(
        "37 patient-safety credits still pending review"
    )
    assert serious_issues(page) == []
    screenshot(page, "report-desktop")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/reports/cme/")

    assert page_width(page) <= PHONE["width"]
    # The Met column is on the screen, not scrolled out of its table's box.
    summary = page.locator(".report .table-scroll").first
    met = summary.get_by_role("columnheader", name="Met")
    box, frame = met.bounding_box(), summary.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5, (box, frame)
    assert summary.evaluate("box => box.scrollWidth <= box.clientWidth")
    screenshot(page, "report-phone")

    pdf = page.request.get(f"{live_server.url}/reports/cme/pdf/")
    (SCREENS / "report.pdf").write_bytes(pdf.body())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Met (pending review)" in " ".join(text.split())
    code = IssuedReport.objects.get().code

    public = browser.new_context(viewport=PHONE).new_page()  # a board: not logged in
    public.goto(f"{live_server.url}/verify/{code}/")
    expect(public.get_by_text("Met (pending review)")).to_be_visible()
    expect(public.get_by_text("Compliant")).to_have_count(0)
    assert page_width(public) <= PHONE["width"]
    assert serious_issues(public) == []
    screenshot(public, "verify-phone")
    public.set_viewport_size(DESKTOP)
    screenshot(public, "verify-desktop")
    public.context.close()


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_printed_report_has_every_column_on_the_page_and_totals_once(
    page, live_server, member, paper
):
    for index in range(40):  # two printed pages of activities
        CreditEntryFactory(
            member=member,
            title=f"Journal-based CME, article {index + 1}",
            credits=Decimal("1"),
            plastic_surgery_credits=Decimal("1"),
            patient_safety_credits=Decimal("0"),
        )
    log_in(page, live_server, member.user.email, PASSWORD)
    page.set_viewport_size({"width": PRINTABLE[paper], "height": 1000})
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/reports/cme/")

    width = PRINTABLE[paper]
    cells = page.locator(".entries-table th, .entries-table td")
    edges = cells.evaluate_all(
        "cells => cells.map(c => [c.textContent.trim().slice(0, 30),"
        " c.getBoundingClientRect().right, c.getClientRects().length])"
    )
    headers = page.locator(".entries-table thead th").all_inner_texts()
    assert len(headers) == 8 and "Review" in headers[-1].title()
    outside = [(text, right) for text, right, shown in edges if not shown or right > width + 0.5]
    assert not outside, outside
    clipped = page.locator(".entries-table td.status").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).length"
    )
    assert clipped == 0
    title_size, sponsor_size = page.locator(".entries-table tbody tr").first.evaluate(
        "row => [getComputedStyle(row.cells[0]).fontSize,"
        " getComputedStyle(row.querySelector('.sponsor')).fontSize].map(parseFloat)"
    )
    assert sponsor_size < title_size

    printed = page.pdf(format=paper, print_background=True)
    if paper == "Letter":
        (SCREENS / "report-print-letter.pdf").write_bytes(printed)
    reader = PdfReader(io.BytesIO(printed))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 2
    assert len(re.findall(r"Totals \(\d+ entries\)", text)) == 1  # not repeated per page
    assert "Self-reported" in text


def test_the_invitation_welcomes_and_opens_the_dashboard(page, live_server, settings, db):
    from members.invitations import invitation_link

    settings.SITE_URL = live_server.url
    invited = MemberFactory(user__email="new.member@example.org", last_name="Lovelace")
    invited.user.set_unusable_password()
    invited.user.save()

    page.goto(invitation_link(invited.user))
    expect(
        page.get_by_role("heading", name="Welcome to CME Track — choose a password")
    ).to_be_visible()
    assert "Change Password" not in page.content()
    assert serious_issues(page) == []
    screenshot(page, "invitation-desktop")
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"]
    screenshot(page, "invitation-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Choose a password").fill("Copper-Willow-Lantern-58")
    page.get_by_label("The same again").fill("Copper-Willow-Lantern-58")
    page.get_by_role("button", name="Set password and open my dashboard").click()

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=re.compile("Lovelace"))).to_be_visible()
    expect(page.get_by_text("Welcome to CME Track. Your password is set.")).to_be_visible()
