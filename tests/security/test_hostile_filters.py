"""Filters and selections typed into the address bar by hand: a wrong value is ignored or
explained, never a server error, whatever it holds."""

from __future__ import annotations

import pytest

from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "x",
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "' OR 1=1 --",
    "<script>",
    "é" * 300,
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "name", ["status", "topic", "ended_from", "ended_to", "at", "q", "member", "page"]
)
def test_the_review_queue_survives_any_filter_value(reviewer_client, alice, name, value):
    CreditEntryFactory(member=alice, patient_safety_credits=1, review_status="pending")

    response = reviewer_client.get("/staff/reviews/", {name: value})

    assert response.status_code in (200, 400), response.status_code
    assert b"<script>" not in response.content


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["missing", "cycle", "start", "end", "page"])
def test_my_entries_survive_any_filter_value(alice_client, alice, name, value):
    CreditEntryFactory(member=alice)

    response = alice_client.get("/credits/", {name: value})

    assert response.status_code in (200, 400), response.status_code
    assert b"<script>" not in response.content
