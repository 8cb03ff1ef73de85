"""Review decisions hold: an edit reopens a decided claim, an audit asks without deciding,
the queue never puts Approve under the reviewer's Enter on a decided claim, and every move of
a claim is kept with who, when, from which IP, and the entry before and after."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from credits import review_selectors, review_services, rules
from credits.models import CreditEntry, DocumentationRequest, ReviewDecision
from members.models import AuditEvent
from tests.factories import CreditEntryFactory, ProviderFactory
from tests.today import shifted, shifted_iso

pytestmark = pytest.mark.django_db

MEMBER_IP = "198.51.100.7"
REVIEWER_IP = "203.0.113.9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUDIT_WINDOW = {"start": shifted_iso("2025-01-01"), "end": shifted_iso("2026-11-01")}


def form_data(entry: CreditEntry, **changes: object) -> dict:
    """The entry's page form, filled with what the entry holds, then ``changes``."""
    data = {
        "title": entry.title,
        "activity_type": entry.activity_type,
        "category": str(entry.category),
        "provider": entry.provider.name if entry.provider else "",
        "start_date": entry.start_date.isoformat(),
        "end_date": entry.end_date.isoformat(),
        "credits": str(entry.credits),
        "patient_safety_credits": str(entry.patient_safety_credits),
        "patient_safety_kind": entry.patient_safety_kind,
        "plastic_surgery_credits": str(entry.plastic_surgery_credits),
        "city": entry.city,
        "state": entry.state,
        "country": entry.country,
    }
    data.update(changes)
    return data


@pytest.fixture
def approved(alice):
    """alice's patient-safety claim, approved by staff, with no certificate on file."""
    return CreditEntryFactory(
        member=alice,
        title="Patient safety in the office",
        start_date=shifted(dt.date(2025, 5, 1)),
        end_date=shifted(dt.date(2025, 5, 2)),
        credits=Decimal("6"),
        patient_safety_credits=Decimal("4"),
        plastic_surgery_credits=Decimal("2"),
        review_status="approved",
    )


# --- An edit of what was judged reopens a decided claim ---------------------------------------

JUDGED_EDITS = {
    "title": {"title": "Anything at all"},
    "provider": {"provider": "Some Other Accredited Provider"},
    "category": {"category": "2", "provider": ""},
    "dates": {"start_date": shifted_iso("2025-06-01"), "end_date": shifted_iso("2025-06-03")},
    "credits": {"credits": "9999", "plastic_surgery_credits": "0"},
    "patient-safety credits": {"patient_safety_credits": "6"},
    "patient-safety kind": {"patient_safety_kind": "quality_assurance"},
}


@pytest.mark.parametrize("status", ["approved", "rejected"])
@pytest.mark.parametrize("what", JUDGED_EDITS)
def test_a_member_editing_what_was_judged_reopens_the_claim(
    alice_client, approved, alice, status, what
):
    CreditEntry.objects.filter(pk=approved.pk).update(review_status=status)
    approved.refresh_from_db()

    response = alice_client.post(
        reverse("credits:detail", args=[approved.pk]),
        form_data(approved, **JUDGED_EDITS[what]),
        REMOTE_ADDR=MEMBER_IP,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    approved.refresh_from_db()
    assert approved.review_status == "pending"
    move = ReviewDecision.objects.get(entry=approved)
    assert move.decision == "member_edit"
    assert move.decided_by == alice.user
    assert move.ip == MEMBER_IP
    assert move.before["review_status"] == status
    assert move.after["review_status"] == "pending"
    assert move.changes  # the judged values, before and after
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_STATUS_CHANGED)
    assert (event.actor, event.ip) == (alice.user, MEMBER_IP)
    assert (event.details["before"], event.details["after"]) == (status, "pending")


def test_editing_what_was_not_judged_keeps_the_decision(alice_client, approved):
    response = alice_client.post(
        reverse("credits:detail", args=[approved.pk]),
        form_data(approved, city="Tampa", state="FL", activity_type="enduring_material"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    approved.refresh_from_db()
    assert (approved.city, approved.review_status) == ("Tampa", "approved")
    assert not ReviewDecision.objects.exists()


def test_an_api_edit_reopens_the_claim_like_the_page(alice, approved):
    api = APIClient(REMOTE_ADDR=MEMBER_IP)
    api.force_authenticate(alice.user)

    title_only = api.patch(
        f"/api/v1/credits/{approved.pk}/", {"title": "Rewritten by the API"}, format="json"
    )
    assert title_only.status_code == 200, title_only.content
    assert title_only.json()["review_status"] == "pending"

    move = ReviewDecision.objects.get(entry=approved)
    assert (move.decision, move.decided_by, move.ip) == ("member_edit", alice.user, MEMBER_IP)


def test_the_reviewer_sees_what_the_member_changed(reviewer_client, alice_client, approved):
    alice_client.post(
        reverse("credits:detail", args=[approved.pk]), form_data(approved, credits="12")
    )

    page = reviewer_client.get(f"/staff/reviews/{approved.pk}/").content.decode()

    assert "Changed by the member" in page
    assert "6.00" in page and "12.00" in page


# --- An audit asks for certificates; it decides nothing ----------------------------------------


def test_an_audit_leaves_decided_claims_and_imports_alone_and_sends_one_email(
    reviewer_client, alice, approved, django_capture_on_commit_callbacks
):
    asked = [
        CreditEntryFactory(member=alice, patient_safety_credits=Decimal("0"), title=f"Course {n}")
        for n in range(8)
    ]
    imported = CreditEntryFactory(
        member=alice,
        provider=ProviderFactory(name="American Society of Plastic Surgeons"),
        source="society_import",
        activity_code="ASPS-2025-1",
        review_status="approved",
    )
    documented = CreditEntryFactory(
        member=alice, patient_safety_credits=Decimal("0"), certificate="certificates/x.pdf"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            "/staff/audits/",
            {**AUDIT_WINDOW, "asps_ids": alice.asps_id, "note": "Audit 2026: certificates."},
            REMOTE_ADDR=REVIEWER_IP,
        )

    assert response.status_code == 302
    approved.refresh_from_db()
    imported.refresh_from_db()
    assert approved.review_status == "approved"  # the decision holds
    assert imported.review_status == "approved"
    requested = {r.entry_id for r in DocumentationRequest.objects.all()}
    assert requested == {approved.pk, *(entry.pk for entry in asked)}
    assert imported.pk not in requested and documented.pk not in requested
    assert not ReviewDecision.objects.exists()  # no claim moved
    assert not CreditEntry.objects.filter(review_status="documentation_requested").exists()
    # One email for the member, listing the nine entries.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    body = mail.outbox[0].body
    assert "Audit 2026: certificates." in body
    for entry in [approved, *asked]:
        assert f"/credits/{entry.pk}/" in body
    assert f"/credits/{imported.pk}/" not in body
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENTATION_REQUESTED)
    assert (event.ip, event.details["entries"]) == (REVIEWER_IP, 9)


def test_the_member_sees_the_request_and_the_certificate_answers_it(
    reviewer, reviewer_client, alice_client, alice, approved
):
    audit = review_services.audit_start(
        members=[alice],
        window=rules.Window(shifted(dt.date(2025, 1, 1)), shifted(dt.date(2026, 11, 1))),
        note="Please send your certificates.",
        by=reviewer,
    )
    page = alice_client.get(reverse("credits:detail", args=[approved.pk])).content.decode()
    assert "Please send your certificates." in page
    assert "1 documentation request" in alice_client.get("/").content.decode()

    alice_client.post(
        reverse("credits:certificate", args=[approved.pk]),
        {"certificate": SimpleUploadedFile("c.pdf", PDF, "application/pdf")},
    )

    approved.refresh_from_db()
    assert approved.review_status == "approved"  # still approved, now documented
    progress = review_selectors.audit_progress(audit)
    assert [(row["asked"], row["answered"]) for row in progress] == [(1, 1)]
    assert (
        "Please send your certificates."
        not in alice_client.get(reverse("credits:detail", args=[approved.pk])).content.decode()
    )


# --- Focus: never Approve on a decided claim, the note after a missing note --------------------


def _autofocused(html: str) -> list[str]:
    return re.findall(r"<(?:button|textarea)[^>]*\bautofocus\b[^>]*>", html)


def test_a_reject_without_a_note_puts_the_focus_on_the_note(reviewer_client, approved):
    CreditEntry.objects.filter(pk=approved.pk).update(review_status="pending")

    response = reviewer_client.post(
        f"/staff/reviews/{approved.pk}/", {"decision": "reject", "note": ""}
    )

    assert response.status_code == 400
    focused = _autofocused(response.content.decode())
    assert len(focused) == 1
    assert focused[0].startswith("<textarea") and 'aria-invalid="true"' in focused[0]


@pytest.mark.parametrize("status", ["approved", "rejected", "documentation_requested"])
def test_approve_is_never_focused_on_a_decided_claim(reviewer_client, approved, status):
    CreditEntry.objects.filter(pk=approved.pk).update(review_status=status)

    claim_page = reviewer_client.get(f"/staff/reviews/{approved.pk}/").content.decode()
    queue = reviewer_client.get("/staff/reviews/", {"status": status}).content.decode()

    assert approved.title in queue
    assert _autofocused(claim_page) == []
    assert _autofocused(queue) == []
    assert "Already decided" in claim_page


# --- Every decision keeps the reviewer's IP -----------------------------------------------------


def test_a_decision_on_the_page_keeps_the_reviewers_ip(reviewer_client, reviewer, approved):
    CreditEntry.objects.filter(pk=approved.pk).update(review_status="pending")

    reviewer_client.post(
        f"/staff/reviews/{approved.pk}/", {"decision": "approve"}, REMOTE_ADDR=REVIEWER_IP
    )

    decision = ReviewDecision.objects.get()
    assert (decision.decided_by, decision.ip) == (reviewer, REVIEWER_IP)
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_DECISION)
    assert (event.actor, event.ip) == (reviewer, REVIEWER_IP)


def test_a_decision_through_the_api_keeps_the_reviewers_ip(reviewer, approved):
    api = APIClient(REMOTE_ADDR=REVIEWER_IP)
    api.force_authenticate(reviewer)

    answer = api.post(
        f"/api/v1/reviews/{approved.pk}/decision/",
        {"decision": "reject", "note": "Not patient-safety content."},
        format="json",
    )

    assert answer.status_code == 200, answer.content
    decision = ReviewDecision.objects.get()
    assert (decision.decision, decision.ip) == ("reject", REVIEWER_IP)
    assert AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_DECISION).ip == REVIEWER_IP
    assert (
        api.post(
            f"/api/v1/reviews/{approved.pk}/decision/", {"decision": "member_edit"}, format="json"
        ).status_code
        == 400
    )  # only staff decisions are posted
