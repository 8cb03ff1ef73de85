"""A brand-new staff member, from the invitation email to an approved claim, in a browser."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import CreditEntryFactory, MemberFactory, cme_staff_group, totp_code

# Serialized rollback restores what data migrations made (providers, the CME staff group).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "new.reviewer@example.org"
NEW_PASSWORD = "Harbor-Quartz-Meadow-73"


def test_a_new_staff_member_goes_from_the_invitation_to_an_approved_claim(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    cme_staff_group()  # made again if an earlier browser test emptied the tables
    member = MemberFactory(first_name="Grace", last_name="Hopper")
    claim = CreditEntryFactory(
        member=member, title="Safe Sedation Workshop", patient_safety_credits=Decimal("2")
    )
    assert claim.review_status == "pending"

    call_command("invite_staff", EMAIL)
    [invitation] = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", invitation.body).group(0)

    # The emailed link: choose a password.
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state("domcontentloaded")
    # Staff without a member profile land on their queue, which asks for two-factor first.
    log_in(page, live_server, EMAIL, NEW_PASSWORD, lands_on="/accounts/**")

    # The staff pages ask for two-factor first; allauth asks for the password again.
    page.goto(f"{live_server.url}/staff/reviews/")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    assert secret
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state("domcontentloaded")

    # Now the queue, and the claim.
    page.goto(f"{live_server.url}/staff/reviews/")
    expect(page.get_by_text("Safe Sedation Workshop").first).to_be_visible()
    page.get_by_role("button", name="Approve").first.click()
    page.get_by_text("The queue is clear.").wait_for()

    claim.refresh_from_db()
    assert claim.review_status == "approved"
