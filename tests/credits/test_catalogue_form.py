""" "Find the activity" on Submit CME, without JavaScript: a GET search whose results are links
that fill the form (credits/catalogue_form.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from credits.models import Activity, CreditEntry, ReviewStatus
from tests.credits.test_catalogue_claims import asaps

pytestmark = pytest.mark.django_db


def page(client, **params: str) -> str:
    response = client.get(reverse("credits:new"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_search_finds_by_title_code_and_provider(alice_client):
    for query in ("annual meeting", "asaps-meeting", "ASAPS", "aesthetic society"):
        assert "?activity=ASAPS-MEETING" in page(alice_client, find=query), query
    found = page(alice_client, find="venous thromboembolism")
    assert "PRS article: Venous Thromboembolism Prophylaxis" in found


def test_a_result_says_what_the_activity_was_designated_for(alice_client):
    found = page(alice_client, find="asaps annual")
    assert "Designated for at most 50.75 AMA PRA Category 1 Credits™, of which 12 patient" in found
    assert "ASAPS Annual Meeting — Scientific Sessions" in found


def test_an_activity_its_provider_uploads_is_not_offered_to_enter(alice_client):
    found = page(alice_client, find="surgical site")
    assert "Preventing Surgical Site Infections" in found
    assert "ASPS uploads these credits to your record: don't enter them." in found
    assert "?activity=PS-ASPS-SSI" not in found


def test_nothing_found_says_so_and_hostile_input_is_harmless(alice_client):
    assert "Nothing in the catalogue matches “zzz”" in page(alice_client, find="zzz")
    hostile = page(alice_client, find="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in hostile
    assert "Type at most 100 characters." in page(alice_client, find="x" * 101)
    assert "Type at most 100 characters." not in page(alice_client, find="x" * 100)


def test_the_typing_gets_only_the_results(alice_client):
    fragment = page(alice_client, find="asaps", fragment="1")
    assert (
        fragment.lstrip().startswith('<ul class="activity-results">')
        or "activity-results" in fragment
    )
    assert "<html" not in fragment and "Submit CME" not in fragment


def test_a_chosen_activity_fills_the_form_but_not_the_credits(alice_client):
    form = page(alice_client, activity="ASAPS-MEETING-SESSIONS")
    assert 'value="ASAPS Annual Meeting — Scientific Sessions"' in form
    assert 'name="activity" value="ASAPS-MEETING-SESSIONS"' in form
    assert "The Aesthetic Society (American Society for Aesthetic Plastic Surgery)" in form
    assert "Claim only the credit for what you attended." in form
    assert 'name="credits" value=' not in form
    assert re.search(r'value="cosmetic"[^>]*checked', form)
    assert not re.search(r'value="breast"[^>]*checked', form)


def test_an_unknown_or_inactive_code_chooses_nothing(alice_client):
    assert "From the catalogue" not in page(alice_client, activity="NOPE")
    Activity.objects.filter(code="ASAPS-MEETING").update(active=False)
    assert "ASAPS Annual Meeting" not in page(alice_client, find="asaps annual")


def test_the_chosen_activity_stays_after_an_error(alice_client):
    response = alice_client.post(reverse("credits:new"), asaps(credits="60", title=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert "From the catalogue" in body and 'name="activity" value="ASAPS-MEETING"' in body


def test_the_entry_page_keeps_the_activity_when_edited(alice_client, alice):
    alice_client.post(reverse("credits:new"), asaps())
    entry = CreditEntry.objects.get(member=alice)
    body = alice_client.get(reverse("credits:detail", args=[entry.pk])).content.decode()
    assert 'name="activity" value="ASAPS-MEETING"' in body
    assert "Enter a different activity" not in body


def test_the_api_takes_the_activity_by_its_code(alice):
    api = APIClient()
    api.force_authenticate(alice.user)
    body = {k: v for k, v in asaps(credits="60").items() if k != "content_areas"}
    refused = api.post("/api/v1/credits/", body, format="json")
    assert refused.status_code == 400
    assert "50.75" in refused.json()["credits"][0]

    unknown = api.post("/api/v1/credits/", {**body, "activity": "NOPE"}, format="json")
    assert unknown.status_code == 400 and "activity" in unknown.json()

    made = api.post(
        "/api/v1/credits/", {**body, "credits": "20", "patient_safety_credits": "4"}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["activity"] == "ASAPS-MEETING"
    assert made.json()["content_areas"] == ["cosmetic"]
    assert made.json()["review_status"] == ReviewStatus.APPROVED
    bad_area = api.patch(
        f"/api/v1/credits/{made.json()['id']}/", {"content_areas": ["knitting"]}, format="json"
    )
    assert bad_area.status_code == 400 and "content_areas" in bad_area.json()
