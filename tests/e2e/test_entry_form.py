"""The member's entry pages in a real browser: every mistake at once, the phone list."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from credits.models import CreditEntry
from tests.e2e.conftest import log_in
from tests.e2e.test_member_journeys import PDF, fill_entry
from tests.factories import PASSWORD, CreditEntryFactory, MemberFactory
from tests.today import shifted_iso

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def member(db):
    return MemberFactory(user__email="surgeon@example.org", first_name="Grace", last_name="Hopper")


def test_five_mistakes_show_at_once_with_focus_on_the_summary(page, live_server, member, tmp_path):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/new/")
    fill_entry(
        page,
        **{
            "Title of activity": "",  # 1: empty title
            "CME credits": "1.3",  # 2: not in steps of 0.25
            "Plastic surgery credits": "1",
            "Patient safety credits": "0.5",
            "Start date": shifted_iso("2026-03-21"),
            "End date": shifted_iso("2026-03-20"),  # 3: ends before it starts
            "Accredited provider": "",  # 4: Category 1 without a provider
            "City": "Evanston",
        },
    )
    notes = tmp_path / "notes.pdf"
    notes.write_text("These are my notes, not a certificate.")  # 5: not a PDF
    page.get_by_label("Certificate (optional)").set_input_files(str(notes))
    page.get_by_role("button", name="Submit CME").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("There are 5 problems with this entry")
    expect(summary).to_be_focused()
    for field, message in [
        ("title", "This field is required."),
        ("credits", "Credits come in steps of 0.25"),
        ("end_date", "The end date is before the start date."),
        ("provider", "Category 1 credits need the accredited provider"),
        ("certificate", "Upload the certificate as a PDF, JPEG or PNG file."),
    ]:
        expect(page.locator(f"#id_{field}_error")).to_contain_text(message)
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
        expect(summary.locator(f'a[href="#id_{field}"]')).to_have_count(1)
    expect(page.get_by_label("CME credits", exact=True)).to_have_value("1.3")
    expect(page.get_by_label("Start date")).to_have_value(shifted_iso("2026-03-21"))
    expect(page.get_by_label("City")).to_have_value("Evanston")
    expect(page.get_by_label("Patient safety credits", exact=True)).to_have_value("0.5")

    summary.locator('a[href="#id_title"]').click()
    expect(page.get_by_label("Title of activity")).to_be_focused()
    assert not CreditEntry.objects.exists()


def test_the_chosen_certificate_survives_a_failed_submit(page, live_server, member, tmp_path):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/new/")
    fill_entry(page, **{"CME credits": "1.3"})
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Certificate (optional)").set_input_files(str(certificate))
    page.get_by_role("button", name="Submit CME").click()

    expect(page.get_by_text("certificate.pdf is attached")).to_be_visible()
    page.get_by_label("CME credits", exact=True).fill("7.5")
    page.get_by_role("button", name="Submit CME").click()

    expect(page.get_by_text("Recorded: Breast Reconstruction Symposium")).to_be_visible()
    assert CreditEntry.objects.get().certificate.read() == PDF


def test_delete_confirms_then_undo_brings_the_entry_back(page, live_server, member):
    entry = CreditEntryFactory(member=member, title="Microsurgery Workshop")
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/{entry.pk}/")

    page.get_by_role("link", name="Delete this entry…").click()
    expect(page.get_by_role("heading", name="Delete this entry?")).to_be_visible()
    assert CreditEntry.objects.filter(pk=entry.pk).exists()
    page.get_by_role("button", name="Yes, delete this entry").click()
    expect(page.get_by_text("Deleted: Microsurgery Workshop.")).to_be_visible()
    assert not CreditEntry.objects.filter(pk=entry.pk).exists()

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Restored: Microsurgery Workshop.")).to_be_visible()
    assert CreditEntry.objects.filter(pk=entry.pk).exists()


def test_the_entries_list_fits_a_phone(browser, live_server, member):
    for number in range(6):
        CreditEntryFactory(
            member=member,
            title=f"Comprehensive Update in Aesthetic and Reconstructive Surgery, part {number}",
        )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the list is {width} px wide on a {PHONE['width']} px phone"
    row = page.locator("table.entries-list tbody tr").first
    for label in ("Date", "Cat 1", "Patient safety", "Status"):
        cell = row.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
    context.close()


@pytest.mark.parametrize("path", ["/credits/new/", "/credits/{entry}/", "/credits/"])
def test_the_entry_pages_fit_a_phone(browser, live_server, member, path):
    entry = CreditEntryFactory(member=member)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}{path.format(entry=entry.pk)}")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px phone"
    context.close()


def serious_issues(page) -> tuple[list, str]:
    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return found, results.generate_report()


def test_the_form_with_errors_and_the_delete_page_pass_the_accessibility_check(
    page, live_server, member, tmp_path
):
    entry = CreditEntryFactory(member=member)
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/new/")
    fill_entry(page, **{"Title of activity": "", "CME credits": "1.3"})
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Certificate (optional)").set_input_files(str(certificate))
    page.get_by_role("button", name="Submit CME").click()
    expect(page.get_by_text("certificate.pdf is attached")).to_be_visible()
    found, report = serious_issues(page)
    assert found == [], report

    page.goto(f"{live_server.url}/credits/{entry.pk}/delete/")
    found, report = serious_issues(page)
    assert found == [], report

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/credits/?certificate=missing")
    found, report = serious_issues(page)
    assert found == [], report
