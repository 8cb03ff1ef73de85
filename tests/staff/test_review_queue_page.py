"""The review queue as a compact list: counts per status, the selected row's decision form,
constant queries, and the totals behind each row (docs/rules.md §4)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from bench.queries import page_queries
from credits import rules, selectors
from credits.models import CreditEntry
from tests.factories import CreditEntryFactory, MemberFactory
from tests.today import shifted

pytestmark = pytest.mark.django_db


def claim(member=None, status="pending", **fields):
    return CreditEntryFactory(
        member=member or MemberFactory(),
        patient_safety_credits=Decimal("1"),
        review_status=status,
        **fields,
    )


def counts(body: str) -> dict[str, tuple[int, str]]:
    """The counts on top of the queue: label -> (count, link)."""
    found = re.findall(r'<a href="([^"]+)"[^>]*><strong>(\d+)</strong> ([a-z ]+)</a>', body)
    return {label: (int(count), href.replace("&amp;", "&")) for href, count, label in found}


def test_the_counts_per_status_lead_to_each_status(reviewer_client, alice):
    for status, number in (
        ("pending", 3),
        ("documentation_requested", 2),
        ("approved", 4),
        ("rejected", 1),
    ):
        for _ in range(number):
            claim(status=status)
    CreditEntryFactory(patient_safety_credits=Decimal("0"))  # not a claim: not counted

    body = reviewer_client.get("/staff/reviews/").content.decode()

    assert counts(body) == {
        "pending": (3, "/staff/reviews/?status=pending"),
        "documentation requested": (2, "/staff/reviews/?status=documentation_requested"),
        "approved": (4, "/staff/reviews/?status=approved"),
        "rejected": (1, "/staff/reviews/?status=rejected"),
    }
    assert '<a href="/staff/reviews/?status=pending" aria-current="page">' in body
    approved = reviewer_client.get("/staff/reviews/?status=approved").content.decode()
    assert approved.count('class="queue-claim') == 4


def test_the_counts_keep_the_other_filters(reviewer_client, alice, bob):
    claim(alice, title="Claim of Alice")
    claim(alice, status="approved")
    claim(bob)

    body = reviewer_client.get("/staff/reviews/?member=Able&page=1&at=5").content.decode()

    assert counts(body)["pending"] == (1, "/staff/reviews/?member=Able&status=pending")
    assert counts(body)["approved"] == (1, "/staff/reviews/?member=Able&status=approved")
    assert "Claim of Alice" in body


def test_the_selected_row_alone_has_the_form_with_a_visible_label(reviewer_client):
    first, second, third = claim(), claim(), claim()

    body = reviewer_client.get(f"/staff/reviews/?at={second.pk}").content.decode()

    assert body.count('class="decision-form"') == 1
    assert f'action="/staff/reviews/{second.pk}/" class="decision-form"' in body
    assert f'<label for="note-{second.pk}">Note to the member</label>' in body
    assert "placeholder=" not in body
    assert re.search(rf'id="claim-{second.pk}"[^>]*data-decidable', body)
    assert f'class="queue-claim is-current" id="claim-{second.pk}"' in body
    # An id not on the page, or none: the first row.
    body = reviewer_client.get(f"/staff/reviews/?at=999999{third.pk}").content.decode()
    assert f'class="queue-claim is-current" id="claim-{first.pk}"' in body


def test_the_selection_keeps_the_pending_filter(reviewer_client):
    pending = claim(title="Still pending")
    claim(status="approved", title="Decided already")

    body = reviewer_client.get(f"/staff/reviews/?at={pending.pk}").content.decode()

    assert "Still pending" in body
    assert "Decided already" not in body


def test_a_reviewers_own_claim_shows_no_decision_and_no_key_decides_it(reviewer_client, reviewer):
    own_member = MemberFactory(user=reviewer)
    own = claim(own_member, title="My own claim")

    body = reviewer_client.get("/staff/reviews/").content.decode()

    assert "This is your own claim: another reviewer decides it." in body
    assert re.search(rf'id="claim-{own.pk}"[^>]*data-own', body)
    assert not re.search(rf'id="claim-{own.pk}"[^>]*data-decidable', body)
    assert 'class="decision-form" hidden' in body
    assert "autofocus" not in body


def test_a_decided_claim_is_not_decidable_by_key(reviewer_client):
    approved = claim(status="approved")

    body = reviewer_client.get("/staff/reviews/?status=approved").content.decode()

    assert not re.search(rf'id="claim-{approved.pk}"[^>]*data-decidable', body)


@pytest.mark.parametrize("path", ["/staff/reviews/", "/staff/reviews/?status=pending"])
def test_the_queue_runs_the_same_queries_at_3_and_60_claims(reviewer_client, path):
    for _ in range(3):
        claim()
    few = page_queries(reviewer_client, path)
    members = [MemberFactory() for _ in range(20)]
    for n in range(57):  # more than a page, several claims per member, two cycles
        end = shifted(dt.date(2025, 5, 1) if n % 2 else dt.date(2022, 5, 1))
        claim(members[n % 20], end_date=end)
    many = page_queries(reviewer_client, path)

    assert few == many


def test_the_grouped_totals_equal_the_totals_of_each_window(alice, bob):
    cycle = rules.Window(shifted(dt.date(2025, 1, 1)), shifted(dt.date(2027, 12, 31)))
    before = rules.Window(shifted(dt.date(2022, 1, 1)), shifted(dt.date(2024, 12, 31)))
    for member in (alice, bob):
        CreditEntryFactory(member=member, credits=Decimal("7"), patient_safety_credits=0)
        claim(member, end_date=shifted(dt.date(2023, 3, 1)), patient_safety_kind="research")
        claim(member, status="rejected")
        claim(
            member,
            status="approved",
            category=2,
            provider=None,
            credits=Decimal("2"),
            plastic_surgery_credits=Decimal("0"),
        )
    keys = [(alice.pk, cycle), (alice.pk, before), (bob.pk, cycle), (MemberFactory().pk, cycle)]

    grouped = selectors.totals_for_windows(keys)

    for member_id, window in keys:
        expected = selectors._totals_window_by_window([(member_id, window)])[(member_id, window)]
        assert grouped[(member_id, window)] == expected
    assert grouped[(alice.pk, cycle)].category_1 == Decimal("12")
    assert grouped[(keys[3])] == rules.Totals.from_row(dict.fromkeys(selectors.TOTALS_AGGREGATES))


def test_overlapping_windows_of_one_member_are_summed_each_on_its_own(alice):
    claim(alice, end_date=shifted(dt.date(2025, 5, 1)))
    year = rules.Window(shifted(dt.date(2025, 1, 1)), shifted(dt.date(2025, 12, 31)))
    cycle = rules.Window(shifted(dt.date(2025, 1, 1)), shifted(dt.date(2027, 12, 31)))

    totals = selectors.totals_for_windows([(alice.pk, year), (alice.pk, cycle)])

    assert totals[(alice.pk, year)].category_1 == totals[(alice.pk, cycle)].category_1 == 5
    assert CreditEntry.objects.count() == 1
