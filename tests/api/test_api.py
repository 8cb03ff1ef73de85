"""The REST API against docs/api.md: auth, credits, compliance, providers, reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from credits.models import CreditEntry, Decision, ReviewStatus
from tests.factories import PASSWORD, CreditEntryFactory
from tests.today import shifted, shifted_iso, shifted_year

pytestmark = pytest.mark.django_db


def entry_json(**changes: object) -> dict:
    data = {
        "title": "Microsurgery Symposium",
        "activity_type": "live_activity",
        "category": 1,
        "provider": "American Society for Reconstructive Microsurgery",
        "start_date": "2026-01-10",
        "end_date": "2026-01-12",
        "credits": "12.5",
        "patient_safety_credits": 2,
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "12.5",
        "city": "Carlsbad",
        "state": "CA",
        "country": "United States",
    }
    data.update(changes)
    return data


@pytest.fixture
def api():
    return APIClient()


def token_client(email: str) -> APIClient:
    client = APIClient()
    answer = client.post(
        "/api/v1/auth/token/", {"email": email, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


@pytest.fixture
def alice_api(alice):
    return token_client("alice@example.org")


@pytest.fixture
def bob_api(bob):
    return token_client("bob@example.org")


def test_a_token_for_good_credentials_and_a_400_for_bad(api, alice):
    assert (
        api.post(
            "/api/v1/auth/token/",
            {"email": "ALICE@example.org", "password": PASSWORD},
            format="json",
        ).status_code
        == 200
    )

    bad = api.post(
        "/api/v1/auth/token/", {"email": "alice@example.org", "password": "nope"}, format="json"
    )
    missing = api.post("/api/v1/auth/token/", {"password": "nope"}, format="json")

    assert bad.status_code == 400
    assert "non_field_errors" in bad.json()
    assert missing.status_code == 400
    assert "email" in missing.json()


def test_the_token_endpoint_is_rate_limited(api, alice):
    """By the account (the web login's lock: 5 failures) and by the address (10 a minute)."""
    for_alice = [
        api.post(
            "/api/v1/auth/token/",
            {"email": "alice@example.org", "password": "wrong"},
            format="json",
        ).status_code
        for _ in range(6)
    ]
    for_others = [
        api.post(
            "/api/v1/auth/token/",
            {"email": f"someone{n}@example.org", "password": "wrong"},
            format="json",
        ).status_code
        for n in range(6)
    ]

    assert for_alice == [400] * 5 + [429]
    assert for_others == [400] * 4 + [429] * 2


def test_me_describes_the_member_and_their_cycle(alice_api, alice):
    me = alice_api.get("/api/v1/me/").json()

    assert me == {
        "email": "alice@example.org",
        "asps_id": alice.asps_id,
        "full_name": alice.full_name,
        "membership_type": "active",
        "standing": "good",
        "cycle": {"start": shifted_iso("2025-01-01"), "end": shifted_iso("2027-12-31")},
    }


def test_a_member_creates_reads_updates_and_deletes_an_entry(alice_api):
    created = alice_api.post("/api/v1/credits/", entry_json(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["credits"] == "12.50"
    assert body["provider"] == "American Society for Reconstructive Microsurgery"
    assert (body["source"], body["review_status"], body["duplicate_of"]) == (
        "self_reported",
        "pending",
        None,
    )

    url = f"/api/v1/credits/{body['id']}/"
    assert alice_api.get(url).json()["title"] == "Microsurgery Symposium"
    patched = alice_api.patch(url, {"title": "Microsurgery Symposium 2026"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["title"] == "Microsurgery Symposium 2026"
    assert alice_api.delete(url).status_code == 204
    assert alice_api.get(url).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"credits": "1.3"}, "credits"),
        ({"credits": "-1"}, "credits"),
        ({"patient_safety_credits": "20"}, "patient_safety_credits"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"category": 3}, "category"),
        ({"activity_type": "party"}, "activity_type"),
        ({"provider": "ASPS"}, "provider"),
        ({"category": 2}, "provider"),
        ({"end_date": "2099-01-01"}, "end_date"),
        ({"credits": "lots"}, "credits"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(alice_api, changes, field):
    response = alice_api.post("/api/v1/credits/", entry_json(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not CreditEntry.objects.exists()


def test_read_only_fields_cannot_be_written(alice_api):
    response = alice_api.post(
        "/api/v1/credits/",
        entry_json(source="society_import", review_status="approved", duplicate_of=1),
        format="json",
    )

    assert response.status_code == 201
    entry = CreditEntry.objects.get()
    assert (entry.source, entry.review_status, entry.duplicate_of_id) == (
        "self_reported",
        "pending",
        None,
    )


def test_a_duplicate_needs_confirm_duplicate(alice_api):
    alice_api.post("/api/v1/credits/", entry_json(), format="json")

    refused = alice_api.post("/api/v1/credits/", entry_json(), format="json")
    confirmed = alice_api.post(
        "/api/v1/credits/", entry_json(confirm_duplicate=True), format="json"
    )

    assert refused.status_code == 400
    assert "confirm_duplicate" in refused.json()
    assert confirmed.status_code == 201
    assert confirmed.json()["duplicate_of"] is not None


def test_multipart_with_a_certificate(alice_api):
    pdf = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate", "application/pdf")

    response = alice_api.post(
        "/api/v1/credits/", {**entry_json(), "certificate": pdf}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["certificate"].endswith(f"/credits/{response.json()['id']}/certificate/")


def test_a_certificate_sent_with_patch_answers_a_documentation_request(alice_api, alice):
    entry = CreditEntryFactory(
        member=alice,
        patient_safety_credits=Decimal(2),
        review_status=ReviewStatus.DOCUMENTATION_REQUESTED,
    )
    pdf = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate", "application/pdf")

    response = alice_api.patch(
        f"/api/v1/credits/{entry.pk}/", {"certificate": pdf}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["review_status"] == ReviewStatus.PENDING
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.PENDING and entry.certificate
    assert entry.decisions.filter(decision=Decision.MEMBER_EDIT).exists()


def test_a_fake_certificate_is_a_400(alice_api):
    fake = SimpleUploadedFile("certificate.pdf", b"GIF89a not a pdf", "application/pdf")

    response = alice_api.post(
        "/api/v1/credits/", {**entry_json(), "certificate": fake}, format="multipart"
    )

    assert response.status_code == 400
    assert "certificate" in response.json()


@pytest.mark.parametrize(
    ("field", "value"), [("country", ""), ("title", ""), ("credits", "abc"), ("category", "7")]
)
def test_bad_multipart_fields_are_a_400_naming_the_field(alice, alice_api, field, value):
    entry = CreditEntryFactory(member=alice)

    patched = alice_api.patch(f"/api/v1/credits/{entry.pk}/", {field: value}, format="multipart")
    posted = alice_api.post("/api/v1/credits/", {**entry_json(), field: value}, format="multipart")

    assert (patched.status_code, posted.status_code) == (400, 400)
    assert field in patched.json() and field in posted.json()


def test_another_members_entry_is_a_404_for_every_method(alice, bob_api):
    entry = CreditEntryFactory(member=alice)
    url = f"/api/v1/credits/{entry.pk}/"

    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {"title": "mine now"}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert CreditEntry.objects.get(pk=entry.pk).title == entry.title


def test_imported_entries_cannot_be_changed_through_the_api(alice, alice_api):
    entry = CreditEntryFactory(member=alice, source="society_import")

    assert (
        alice_api.patch(f"/api/v1/credits/{entry.pk}/", {"title": "x"}, format="json").status_code
        == 403
    )
    assert alice_api.delete(f"/api/v1/credits/{entry.pk}/").status_code == 403


def test_the_list_is_paginated_and_filtered_by_window(alice, alice_api):
    CreditEntryFactory(member=alice, end_date=shifted(dt.date(2025, 3, 1)))
    CreditEntryFactory(member=alice, end_date=shifted(dt.date(2023, 3, 1)))
    start, end = shifted_iso("2023-01-01"), shifted_iso("2025-12-31")

    current = alice_api.get("/api/v1/credits/").json()
    previous = alice_api.get("/api/v1/credits/?cycle=previous").json()
    ranged = alice_api.get(f"/api/v1/credits/?start={start}&end={end}").json()
    bad = alice_api.get("/api/v1/credits/?start=2025-01-01&end=2024-01-01")

    assert set(current) == {"count", "next", "previous", "results"}
    assert (current["count"], previous["count"], ranged["count"]) == (1, 1, 2)
    assert bad.status_code == 400
    assert "end" in bad.json()


def test_providers_are_listed_with_auto_upload(alice_api):
    providers = alice_api.get("/api/v1/providers/").json()["results"]

    asps = next(p for p in providers if p["abbreviation"] == "ASPS")
    assert asps["auto_uploaded"] is True


def test_reviews_are_for_staff_only(alice_api, alice, reviewer):
    claim = CreditEntryFactory(member=alice, patient_safety_credits=Decimal("1"))
    staff = APIClient()
    staff.force_authenticate(reviewer)

    assert alice_api.get("/api/v1/reviews/").status_code == 403
    assert (
        alice_api.post(
            f"/api/v1/reviews/{claim.pk}/decision/", {"decision": "approve"}, format="json"
        ).status_code
        == 403
    )
    listed = staff.get("/api/v1/reviews/?status=pending").json()
    assert [row["id"] for row in listed["results"]] == [claim.pk]
    no_note = staff.post(
        f"/api/v1/reviews/{claim.pk}/decision/", {"decision": "reject"}, format="json"
    )
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    decided = staff.post(
        f"/api/v1/reviews/{claim.pk}/decision/",
        {"decision": "reject", "note": "Not PS."},
        format="json",
    )
    assert decided.status_code == 200
    assert decided.json()["review_status"] == "rejected"
    assert (
        staff.post(
            "/api/v1/reviews/999999/decision/", {"decision": "approve"}, format="json"
        ).status_code
        == 404
    )


def test_an_outside_script_submits_a_year_and_reads_the_dashboards_numbers(alice, alice_client):
    """Contract only: a token, a year of CME, then compliance equal to the dashboard's."""
    script = token_client("alice@example.org")
    for month in range(1, 13):
        response = script.post(
            "/api/v1/credits/",
            entry_json(
                title=f"Grand rounds {month}",
                activity_type="rss",
                start_date=f"{shifted_year(2025)}-{month:02d}-01",
                end_date=f"{shifted_year(2025)}-{month:02d}-20",
                credits="4",
                patient_safety_credits="1",
                plastic_surgery_credits="3",
                category=1 if month % 3 else 2,
                provider="Northwestern Medicine" if month % 3 else None,
            ),
            format="json",
        )
        assert response.status_code == 201, response.json()

    compliance = script.get("/api/v1/compliance/").json()
    dashboard = alice_client.get("/").context["compliance"]

    assert compliance["cycle"] == {
        "start": shifted_iso("2025-01-01"),
        "end": shifted_iso("2027-12-31"),
    }
    assert [
        (r["code"], Decimal(r["earned"]), Decimal(r["counted"]), r["met"])
        for r in compliance["requirements"]
    ] == [(str(r.code), r.earned, r.counted, r.met) for r in dashboard.requirements]
    assert Decimal(compliance["pending_review"]["patient_safety_credits"]) == Decimal(12)
    assert compliance["compliant"] is False


def test_the_schema_and_docs_are_served_without_a_cdn(alice_api):
    schema = alice_api.get("/api/v1/schema/")
    docs = alice_api.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/credits/" in schema.content
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
