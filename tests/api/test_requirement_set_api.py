"""``GET /api/v1/compliance/?requirement_set=asps|asaps|abps``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credits import rules
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/"


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice.user)
    return client


def test_asps_is_the_default_and_says_so(api):
    default = api.get(URL).json()
    named = api.get(URL, {"requirement_set": "asps"}).json()

    assert default == named
    assert default["requirement_set"] == "asps"
    assert default["deadline"] is None
    assert [r["code"] for r in default["requirements"]] == [
        "total",
        "category_1",
        "plastic_surgery",
        "patient_safety",
    ]


@pytest.mark.parametrize("value", ["", "abms", "ASPS", "asps,abps"])
def test_an_unknown_requirement_set_is_a_400_naming_the_field(api, value):
    response = api.get(URL, {"requirement_set": value})

    assert response.status_code == 400
    assert "asps, asaps, abps" in response.json()["requirement_set"][0]


@pytest.mark.parametrize("code", ["asaps", "abps"])
def test_a_set_that_does_not_apply_to_the_member_is_a_400(api, code):
    response = api.get(URL, {"requirement_set": code})

    assert response.status_code == 400
    assert "does not apply to you" in response.json()["requirement_set"][0]


def test_asaps_uses_the_same_window_and_numbers(api, alice):
    alice.asaps_member = True
    alice.save()
    CreditEntryFactory(member=alice)

    asps = api.get(URL).json()
    asaps = api.get(URL, {"requirement_set": "asaps", "cycle": "current"}).json()

    assert asaps["requirement_set"] == "asaps"
    assert asaps["cycle"] == asps["cycle"]
    assert asaps["requirements"] == asps["requirements"]


def test_abps_answers_for_the_next_deadline(api, alice):
    today = timezone.localdate()
    alice.abps_certification_year = today.year - 4
    alice.save()
    milestone = rules.next_milestone(alice.abps_certification_year, today)
    CreditEntryFactory(
        member=alice,
        end_date=min(milestone.window.end, today) - dt.timedelta(days=1),
        patient_safety_credits=Decimal("2.5"),
        review_status="pending",
    )

    data = api.get(URL, {"requirement_set": "abps"}).json()

    assert data["requirement_set"] == "abps"
    assert data["deadline"] == milestone.deadline.isoformat()
    assert data["cycle"] == {
        "start": milestone.window.start.isoformat(),
        "end": milestone.window.end.isoformat(),
    }
    safety = data["requirements"][0]
    assert (safety["code"], Decimal(safety["counted"]), Decimal(safety["required"])) == (
        "patient_safety",
        Decimal("2.5"),
        Decimal("20"),
    )
    assert data["compliant"] is False
    assert "Still needed: 17.5 more patient-safety credits" in data["notes"][0]
    assert Decimal(data["pending_review"]["patient_safety_credits"]) == Decimal("2.5")


def test_abps_previous_is_the_deadline_before(api, alice):
    today = timezone.localdate()
    alice.abps_certification_year = today.year - 4
    alice.save()
    before = rules.previous_milestone(rules.next_milestone(alice.abps_certification_year, today))

    data = api.get(URL, {"requirement_set": "abps", "cycle": "previous"}).json()

    assert data["deadline"] == before.deadline.isoformat()


@pytest.mark.parametrize("param", ["start", "end"])
def test_abps_refuses_a_date_range(api, alice, param):
    alice.abps_certification_year = 2021
    alice.save()

    response = api.get(URL, {"requirement_set": "abps", param: "2024-01-01"})

    assert response.status_code == 400
    assert param in response.json()


def test_the_schema_documents_the_parameter_and_the_fields(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/compliance/"]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "requirement_set")

    assert sorted(parameter["schema"]["enum"]) == ["abps", "asaps", "asps"]
    properties = schema["components"]["schemas"]["Compliance"]["properties"]
    assert {"requirement_set", "deadline"} <= set(properties)
