"""The member's dashboard: what it counts, and who sees the staff link."""

from __future__ import annotations

import pytest

from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db

STAFF_LINK = 'href="/staff/"'


def test_the_dashboard_counts_claims_by_review_status(alice_client, alice):
    for status in ("pending", "pending", "documentation_requested", "rejected", "approved"):
        CreditEntryFactory(member=alice, review_status=status)
    CreditEntryFactory(member=alice, patient_safety_credits=0)  # nothing to review

    page = alice_client.get("/").content.decode()

    assert "3 claims pending staff review" in page  # documentation requested is under review
    assert "1 documentation request</strong>" in page
    assert "1 patient-safety claim not accepted</strong>" in page
    # Both sit in the "Action needed" strip, before the verdict.
    strip = page[page.index('id="actions"') : page.index('id="body-asps"')]
    assert "1 documentation request</strong>" in strip
    assert "1 patient-safety claim not accepted</strong>" in strip


def test_the_staff_link_is_for_cme_staff_only(client, alice, staff_user, reviewer):
    def sees_the_link(user) -> bool:
        client.force_login(user)
        return (
            STAFF_LINK in client.get("/", follow=True).content.decode()
        )  # staff: on to the overview

    assert not sees_the_link(alice.user)
    assert not sees_the_link(staff_user)  # is_staff without the CME staff group
    assert sees_the_link(reviewer)
