"""``credits_by_content_area`` of ``/api/v1/compliance/`` (docs/api.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice.user)
    return client


def test_compliance_gives_the_credits_by_content_area(api, alice):
    CreditEntryFactory(member=alice, credits=D("12.5"), content_areas=["breast", "microsurgery"])
    CreditEntryFactory(member=alice, credits=D("5"), content_areas=[])

    areas = api.get("/api/v1/compliance/").json()["credits_by_content_area"]

    assert areas[1] == {
        "code": "breast",
        "label": "Breast (cosmetic and reconstructive)",
        "credits": "12.50",
    }
    assert {a["code"]: a["credits"] for a in areas} == {
        "cosmetic": "0.00",
        "breast": "12.50",
        "craniomaxillofacial": "0.00",
        "reconstruction": "0.00",
        "microsurgery": "12.50",
        "practice_management": "0.00",
        "emerging_trends": "0.00",
        "not_recorded": "5.00",
    }


def test_the_previous_cycle_has_its_own_credits_by_content_area(api, alice):
    CreditEntryFactory(member=alice, credits=D("5"), content_areas=["cosmetic"])

    areas = api.get("/api/v1/compliance/?cycle=previous").json()["credits_by_content_area"]

    assert {a["code"]: a["credits"] for a in areas}["cosmetic"] == "0.00"
