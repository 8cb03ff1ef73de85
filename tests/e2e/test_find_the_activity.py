""" "Find the activity" on Submit CME in a real browser: the results follow the typing, a result
fills the form, the designated maximum refuses more, and the catalogue approves patient-safety
credits within its designation. Without JavaScript the same works through the Find button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from credits.models import CreditEntry, ReviewStatus
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MemberFactory
from tests.reports.ways_to_earn_helpers import shipped_catalogue
from tests.today import shifted_iso

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def member(db):
    shipped_catalogue()  # a transactional test before this one may have emptied it
    return MemberFactory(user__email="surgeon@example.org", first_name="Grace", last_name="Hopper")


def test_typing_finds_the_meeting_and_its_designation_holds(page, live_server, member):
    log_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/credits/new/")
    page.get_by_label("Title, code or provider of the activity").press_sequentially("annual mee")

    results = page.locator("#activity-results")
    expect(results).to_contain_text("Designated for at most 50.75")  # no button pressed
    results.get_by_role("link", name="ASAPS Annual Meeting", exact=True).click()

    expect(page.get_by_label("Title of activity")).to_have_value("ASAPS Annual Meeting")
    expect(page.locator("#chosen-activity")).to_contain_text("Scientific Sessions")
    expect(page.get_by_label("CME credits", exact=True)).to_have_value("")
    page.get_by_label("Start date").fill(shifted_iso("2026-04-16"))
    page.get_by_label("End date").fill(shifted_iso("2026-04-20"))
    page.get_by_label("CME credits", exact=True).fill("60")
    page.get_by_role("button", name="Submit CME").click()

    expect(page.locator("#id_credits_error")).to_contain_text("claim at most 50.75")
    expect(page.get_by_label("Title of activity")).to_have_value("ASAPS Annual Meeting")
    page.get_by_label("CME credits", exact=True).fill("20")
    page.get_by_label("Patient safety credits", exact=True).fill("4")
    page.get_by_role("button", name="Submit CME").click()

    page.wait_for_url(f"{live_server.url}/")
    entry = CreditEntry.objects.get(member=member)
    assert (entry.activity.code, entry.review_status) == ("ASAPS-MEETING", ReviewStatus.APPROVED)
    page.goto(f"{live_server.url}/credits/{entry.pk}/")
    expect(page.get_by_text("designated for 12 patient-safety credits; 4 claimed")).to_be_visible()


def test_without_javascript_the_find_button_does_the_same(browser, live_server, member):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, live_server, member.user.email, PASSWORD)
        page.goto(f"{live_server.url}/credits/new/")
        page.get_by_label("Title, code or provider of the activity").fill("IHI open school")
        page.get_by_role("button", name="Find").click()
        page.get_by_role("link", name="IHI Open School Patient Safety Curriculum").click()
        expect(page.get_by_label("Title of activity")).to_have_value(
            "IHI Open School Patient Safety Curriculum"
        )
        expect(page.get_by_label("Accredited provider")).to_have_value(
            "Institute for Healthcare Improvement"
        )
    finally:
        context.close()
