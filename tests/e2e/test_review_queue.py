"""Staff clear a queue of 50 claims with the keyboard (quickly, with the keyboard)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from credits.models import CreditEntry
from tests.e2e.conftest import log_in_reviewer
from tests.factories import (
    CreditEntryFactory,
    MemberFactory,
    UserFactory,
    in_cme_staff,
    with_two_factor,
)

# Serialized rollback restores what data migrations made (providers, the CME staff group).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_clear_50_claims_with_the_keyboard(page, live_server):
    reviewer = UserFactory(email="reviewer@example.org", is_staff=True)
    in_cme_staff(reviewer)
    with_two_factor(reviewer)
    members = [MemberFactory() for _ in range(10)]
    for index in range(50):
        CreditEntryFactory(member=members[index % 10], patient_safety_credits=Decimal("1"))

    log_in_reviewer(page, live_server, reviewer)
    page.goto(f"{live_server.url}/staff/reviews/")
    started = time.perf_counter()
    for remaining in range(50, 0, -1):
        page.get_by_text(f"{remaining} claim").first.wait_for()
        # The oldest claim's Approve button has the focus: Enter decides it.
        expect(page.get_by_role("button", name="Approve").first).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_load_state("domcontentloaded")
    page.get_by_text("The queue is clear.").wait_for()
    elapsed = time.perf_counter() - started

    assert CreditEntry.objects.filter(review_status="approved").count() == 50
    print(f"\n50 claims approved with the keyboard in {elapsed:.1f} s")
    # About 14 s on an idle CI machine. The bound catches a regression (a page that takes
    # seconds per claim), not a busy machine: 76 s were seen with a benchmark running beside.
    assert elapsed < 150


def test_focus_goes_to_the_note_after_an_error_and_never_to_approve_on_a_decided_claim(
    page, live_server
):
    reviewer = UserFactory(email="reviewer@example.org", is_staff=True)
    in_cme_staff(reviewer)
    with_two_factor(reviewer)
    member = MemberFactory()
    pending = CreditEntryFactory(member=member, patient_safety_credits=Decimal("1"))
    decided = CreditEntryFactory(
        member=member, patient_safety_credits=Decimal("1"), review_status="approved"
    )
    log_in_reviewer(page, live_server, reviewer)

    # Reject from the queue without a note: the error shows in place, under the note, which
    # takes the focus; nothing is sent.
    page.goto(f"{live_server.url}/staff/reviews/")
    page.get_by_role("button", name="Reject").first.click()
    note = page.get_by_label("Note to the member")
    expect(note).to_be_focused()
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Say why the claim is rejected")).to_be_visible()
    assert page.url == f"{live_server.url}/staff/reviews/"
    page.keyboard.press("Enter")  # a new line in the note, not a decision
    pending.refresh_from_db()
    assert pending.review_status == "pending"

    # A decided claim, on its page and in the filtered queue: Approve is not focused.
    page.goto(f"{live_server.url}/staff/reviews/{decided.pk}/")
    expect(page.get_by_text("Already decided")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).not_to_be_focused()
    page.keyboard.press("Enter")
    page.goto(f"{live_server.url}/staff/reviews/?status=approved")
    expect(page.get_by_role("button", name="Approve").first).not_to_be_focused()
    page.keyboard.press("Enter")
    assert not decided.decisions.exists()


def test_without_script_a_rejection_without_a_note_is_refused_on_the_claims_page(
    browser, live_server
):
    reviewer = UserFactory(email="reviewer@example.org", is_staff=True)
    in_cme_staff(reviewer)
    with_two_factor(reviewer)
    pending = CreditEntryFactory(member=MemberFactory(), patient_safety_credits=Decimal("1"))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in_reviewer(page, live_server, reviewer)

    page.goto(f"{live_server.url}/staff/reviews/")
    page.get_by_role("button", name="Reject").first.click()
    page.wait_for_url(f"**/staff/reviews/{pending.pk}/")
    note = page.get_by_label("Note to the member")
    expect(note).to_be_focused()  # autofocus, without script
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Say why the claim is rejected")).to_be_visible()
    pending.refresh_from_db()
    assert pending.review_status == "pending"

    note.fill("Not a patient-safety topic.")
    page.get_by_role("button", name="Reject").click()
    page.get_by_text("The queue is clear.").wait_for()
    pending.refresh_from_db()
    assert pending.review_status == "rejected"
    context.close()
