"""``/api/v1/activities/``: the activity catalogue, searched by members (docs/api.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from credits.models import Activity, CatalogueKind
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice.user)
    return client


def activity(code: str, title: str, **fields) -> Activity:
    return Activity.objects.create(code=code, title=title, **fields)


@pytest.fixture
def symposium():
    """A whole activity with two parts (one no longer offered) and a known provider."""
    whole = activity(
        "ZYG-2026",
        "Zygoma Symposium",
        provider=ProviderFactory(name="Zygoma Foundation", abbreviation="ZF"),
        start_date=dt.date(2026, 3, 5),
        end_date=dt.date(2026, 3, 7),
        city="Boston",
        state="MA",
        country="United States",
        max_credits=D("20"),
        patient_safety_credits=D("4.5"),
        plastic_surgery_credits=D("18"),
        content_areas=["craniomaxillofacial", "reconstruction"],
        url="https://example.org/zygoma",
    )
    activity("ZYG-2026-LAB", "Cadaver lab", parent=whole, max_credits=D("6"))
    activity("ZYG-2026-OLD", "Withdrawn workshop", parent=whole, active=False)
    return whole


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_search_finds_the_activity_with_every_field(api, symposium):
    (found,) = [a for a in results(api.get("/api/v1/activities/?q=zygoma")) if not a["part_of"]]

    assert found == {
        "code": "ZYG-2026",
        "title": "Zygoma Symposium",
        "full_title": "Zygoma Symposium",
        "kind": "activity",
        "part_of": None,
        "parts": [
            {
                "code": "ZYG-2026-LAB",
                "title": "Cadaver lab",
                "max_credits": "6.00",
                "patient_safety_credits": None,
            }
        ],
        "provider": "Zygoma Foundation",
        "activity_type": "live_activity",
        "category": 1,
        "start_date": "2026-03-05",
        "end_date": "2026-03-07",
        "city": "Boston",
        "state": "MA",
        "country": "United States",
        "max_credits": "20.00",
        "patient_safety_credits": "4.50",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "18.00",
        "content_areas": ["craniomaxillofacial", "reconstruction"],
        "url": "https://example.org/zygoma",
    }


def test_a_part_is_named_with_its_whole_and_comes_after_the_wholes(api, symposium):
    found = results(api.get("/api/v1/activities/?q=ZYG"))

    assert [a["code"] for a in found] == ["ZYG-2026", "ZYG-2026-LAB"]  # never the withdrawn
    lab = found[1]
    assert lab["full_title"] == "Zygoma Symposium — Cadaver lab"
    assert lab["part_of"] == "ZYG-2026"
    assert lab["parts"] == []
    assert lab["patient_safety_credits"] is None  # not stated: null, never 0


def test_the_shipped_asaps_meeting_is_found_by_its_provider_abbreviation(api):
    found = results(api.get("/api/v1/activities/", {"q": "asaps annual"}))
    codes = [a["code"] for a in found]

    assert codes[0] == "ASAPS-MEETING"  # the whole first, on SQLite and PostgreSQL alike
    assert set(codes) == {"ASAPS-MEETING", "ASAPS-MEETING-SESSIONS", "ASAPS-MEETING-COURSES"}
    meeting = found[0]
    assert meeting["max_credits"] == "50.75"
    assert {p["code"]: p["max_credits"] for p in meeting["parts"]} == {
        "ASAPS-MEETING-COURSES": "29.50",
        "ASAPS-MEETING-SESSIONS": "21.25",
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("zygoma", True),
        ("ZYGOMA symposium", True),
        ("symposium boston", False),  # every word must match; the city is not searched
        ("zf", True),  # the provider's abbreviation, whole
        ("z", True),
        ("foundation zygoma", True),  # the provider's name
        ("nothing-like-this", False),
    ],
)
def test_every_word_must_match(api, symposium, query, found):
    codes = [a["code"] for a in results(api.get("/api/v1/activities/", {"q": query}))]

    assert ("ZYG-2026" in codes) is found


def test_an_inactive_activity_and_its_parts_are_neither_found_nor_shown(api, symposium):
    symposium.active = False
    symposium.save()

    assert results(api.get("/api/v1/activities/?q=Zygoma")) == []
    assert api.get("/api/v1/activities/ZYG-2026/").status_code == 404
    assert api.get("/api/v1/activities/ZYG-2026-LAB/").status_code == 404


def test_patient_safety_resources_are_in_the_catalogue(api):
    found = results(api.get("/api/v1/activities/", {"q": "IHI open school"}))

    assert [(a["code"], a["kind"], a["max_credits"]) for a in found] == [
        ("PS-IHI-OPEN-SCHOOL", CatalogueKind.RESOURCE, "10.00")
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Type a word"),
        ({"q": ""}, "Type a word"),
        ({"q": "x" * 101}, "at most 100 characters"),
        ({"q": " " + "x" * 100}, "at most 100 characters"),  # the length sent counts
        ({"q": "\u2028" * 101}, "at most 100 characters"),
    ],
)
def test_a_missing_blank_or_too_long_q_answers_400_naming_q(api, params, message):
    response = api.get("/api/v1/activities/", params)

    assert response.status_code == 400
    assert list(response.json()) == ["q"]
    assert message in response.json()["q"][0]


def test_spaces_alone_find_nothing(api):
    response = api.get("/api/v1/activities/", {"q": "  \u2028 "})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_null_character_does_no_harm(api, symposium):
    # Query parameters reach views without control characters (cmetrack.middleware).
    found = results(api.get("/api/v1/activities/", {"q": "zyg\x00oma"}))

    assert "ZYG-2026" in [a["code"] for a in found]


def test_100_characters_are_accepted(api, symposium):
    assert results(api.get("/api/v1/activities/", {"q": "zygoma " + "x" * 93})) == []


def test_results_are_paginated_like_the_other_lists(api):
    for number in range(55):
        activity(f"BULK-{number:02}", f"Bulk course {number:02}")

    first = api.get("/api/v1/activities/", {"q": "bulk"}).json()
    second = api.get(first["next"]).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert "q=bulk" in first["next"]
    assert len(second["results"]) == 5 and second["next"] is None


def queries_of(client: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_search_costs_the_same_queries_for_2_and_40_activities_with_parts(api):
    def with_wholes(count: int) -> int:
        Activity.objects.filter(code__startswith="QC-").delete()
        for number in range(count):
            whole = activity(
                f"QC-{number}", f"Query count course {number}", provider=ProviderFactory()
            )
            activity(f"QC-{number}-A", "Morning", parent=whole)
            activity(f"QC-{number}-B", "Afternoon", parent=whole)
        return queries_of(api, "/api/v1/activities/?q=query+count")

    assert with_wholes(2) == with_wholes(40)


def test_one_activity_by_its_code_whatever_the_case(api, symposium):
    response = api.get("/api/v1/activities/zyg-2026/")

    assert response.status_code == 200
    assert response.json()["code"] == "ZYG-2026"
    assert [p["code"] for p in response.json()["parts"]] == ["ZYG-2026-LAB"]


@pytest.mark.parametrize("code", ["NO-SUCH-CODE", "x" * 51, "ZYG%002026", "%20"])
def test_an_unknown_code_is_404(api, symposium, code):
    response = api.get(f"/api/v1/activities/{code}/")

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/activities/?q=zygoma", "/api/v1/activities/ZYG-2026/"])
def test_anonymous_gets_401(path, symposium):
    response = APIClient().get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_staff_without_a_member_profile_may_read_the_catalogue(reviewer, symposium):
    client = APIClient()
    client.force_authenticate(reviewer)

    found = results(client.get("/api/v1/activities/?q=zygoma"))

    assert found[0]["code"] == "ZYG-2026"
