"""The words members and staff read about a review: email subjects in plain words, review
statuses by their labels (members.formatting), never the stored value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from members import formatting
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("decision", "subject"),
    [
        ("approve", "[CME Track] Your patient-safety claim was approved: “Safe Sedation”"),
        ("reject", "[CME Track] Your patient-safety claim was not accepted: “Safe Sedation”"),
        (
            "request_documentation",
            "[CME Track] Documentation needed for your patient-safety claim: “Safe Sedation”",
        ),
    ],
)
def test_decision_subjects_say_what_happened(decision, subject):
    assert formatting.decision_subject(decision, "Safe Sedation") == subject


def test_review_labels_word_every_status():
    assert formatting.review_label("documentation_requested") == "Documentation requested"
    assert formatting.review_label("pending") == "Pending review"
    assert formatting.review_label("") == "—"


@pytest.fixture
def claim(alice):
    return CreditEntryFactory(
        member=alice, title="Safe Sedation", patient_safety_credits=Decimal("4")
    )


def test_the_decision_email_and_the_audit_trail_use_the_words(
    reviewer_client, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            f"/staff/reviews/{claim.pk}/",
            {"decision": "request_documentation", "note": "The certificate, please."},
        )
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(f"/staff/reviews/{claim.pk}/", {"decision": "approve"})

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "[CME Track] Documentation needed for your patient-safety claim: “Safe Sedation”",
        "[CME Track] Your patient-safety claim was approved: “Safe Sedation”",
    ]
    assert not any(subject.endswith((": approve", ": reject")) for subject in subjects)
    page = reviewer_client.get(f"/staff/reviews/{claim.pk}/").content.decode()
    assert "Pending review → Documentation requested" in page
    assert "Documentation requested → Approved" in page
    assert "documentation_requested →" not in page and "→ documentation_requested" not in page
