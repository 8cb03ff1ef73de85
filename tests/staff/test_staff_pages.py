"""Staff: the review queue and decisions, member lookup, documentation audits (docs/rules.md §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from bench.queries import page_queries
from credits import review_selectors, review_services, rules, selectors
from credits.models import CreditEntry, DocumentationRequest, ReviewDecision
from members.models import AuditEvent
from tests.factories import CreditEntryFactory, MemberFactory, UserFactory, with_two_factor
from tests.today import shifted_iso

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(alice):
    """A pending 4-credit general patient-safety claim in alice's current cycle."""
    return CreditEntryFactory(
        member=alice,
        title="Risk management in the office",
        credits=Decimal("6"),
        patient_safety_credits=Decimal("4"),
        review_status="pending",
    )


def staff_urls(alice, claim) -> list[str]:
    audit = review_services.audit_start(
        members=[alice],
        window=rules.Window(dt.date(2025, 1, 1), dt.date(2026, 11, 1)),
        note="Please upload your certificates.",
        by=UserFactory(is_staff=True),
    )
    return [
        "/staff/",
        "/staff/members/at-risk/",
        "/staff/members/at-risk.csv",
        "/staff/members/projected-standing/",
        "/staff/reviews/",
        f"/staff/reviews/{claim.pk}/",
        "/staff/members/?q=Able",
        f"/staff/members/{alice.asps_id}/",
        "/staff/audits/",
        f"/staff/audits/{audit.pk}/",
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 404), ("staff without the group", 404), ("CME staff", 200)],
)
def test_staff_pages_are_for_cme_staff_only(client, alice, bob, claim, reviewer, who, expected):
    urls = staff_urls(alice, claim)
    if who == "member":
        client.force_login(bob.user)
    elif who == "staff without the group":
        client.force_login(with_two_factor(UserFactory(is_staff=True)))
    elif who == "CME staff":
        client.force_login(reviewer)

    statuses = {url: client.get(url, follow=False).status_code for url in urls}

    assert set(statuses.values()) == {expected}, statuses


def test_a_member_cannot_decide_on_a_claim(client, bob, claim):
    client.force_login(bob.user)

    response = client.post(f"/staff/reviews/{claim.pk}/", {"decision": "approve"})

    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.review_status == "pending"


def test_the_queue_shows_pending_claims_oldest_first_with_the_totals(
    reviewer_client, alice, bob, claim
):
    CreditEntryFactory(member=bob, title="Newer claim", patient_safety_credits=Decimal("1"))
    CreditEntryFactory(member=bob, title="Not a claim", patient_safety_credits=Decimal("0"))

    body = reviewer_client.get("/staff/reviews/").content.decode()

    assert body.index("Risk management in the office") < body.index("Newer claim")
    assert "Not a claim" not in body
    assert "<strong>4</strong> / 20 with it, <strong>0</strong> without it" in body


def test_the_queue_runs_a_constant_number_of_queries(reviewer_client):
    for _ in range(3):
        CreditEntryFactory(member=MemberFactory(), patient_safety_credits=Decimal("1"))
    few = page_queries(reviewer_client, "/staff/reviews/")
    for _ in range(20):
        CreditEntryFactory(member=MemberFactory(), patient_safety_credits=Decimal("1"))
    many = page_queries(reviewer_client, "/staff/reviews/")

    assert few == many


def test_approving_keeps_the_credits_and_tells_the_member(
    reviewer_client, reviewer, alice, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            f"/staff/reviews/{claim.pk}/", {"decision": "approve", "next": "/staff/reviews/"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/staff/reviews/"
    claim.refresh_from_db()
    assert claim.review_status == "approved"
    decision = ReviewDecision.objects.get()
    assert decision.decided_by == reviewer
    assert decision.before["review_status"] == "pending"
    assert decision.after["review_status"] == "approved"
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "approved them" in mail.outbox[-1].body


def test_rejecting_needs_a_note_and_stops_the_credits_counting(
    reviewer_client, alice, claim, django_capture_on_commit_callbacks
):
    window = rules.cycle_containing(alice.cycle_start, claim.end_date)
    before = selectors.totals_for(alice, window)

    refused = reviewer_client.post(
        f"/staff/reviews/{claim.pk}/", {"decision": "reject", "note": " "}
    )
    assert refused.status_code == 400
    assert "Say why the claim is rejected" in refused.content.decode()
    claim.refresh_from_db()
    assert claim.review_status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            f"/staff/reviews/{claim.pk}/",
            {"decision": "reject", "note": "This course is not patient-safety content."},
        )

    after = selectors.totals_for(alice, window)
    assert before.patient_safety == Decimal("4.00")
    assert after.patient_safety == Decimal("0.00")
    assert after.category_1 == before.category_1  # the rest of the entry still counts
    assert "This course is not patient-safety content." in mail.outbox[-1].body


def test_a_documentation_request_needs_a_note_and_the_upload_returns_the_claim(
    reviewer_client, alice_client, claim
):
    refused = reviewer_client.post(
        f"/staff/reviews/{claim.pk}/", {"decision": "request_documentation"}
    )
    assert refused.status_code == 400

    reviewer_client.post(
        f"/staff/reviews/{claim.pk}/",
        {"decision": "request_documentation", "note": "Please upload the certificate."},
    )
    claim.refresh_from_db()
    assert claim.review_status == "documentation_requested"
    page = alice_client.get(reverse("credits:detail", args=[claim.pk])).content.decode()
    assert "Please upload the certificate." in page
    assert "Please upload the certificate." in alice_client.get("/").content.decode()

    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("c.pdf", b"%PDF-1.4 certificate", "application/pdf")
    alice_client.post(reverse("credits:certificate", args=[claim.pk]), {"certificate": pdf})
    claim.refresh_from_db()
    assert claim.review_status == "pending"


def test_member_lookup_finds_by_name_email_and_asps_id(reviewer_client, alice, bob):
    for query in ("able", "alice@example", alice.asps_id):
        body = reviewer_client.get("/staff/members/", {"q": query}).content.decode()
        assert alice.full_name in body, query
        assert bob.full_name not in body, query


def test_a_random_audit_sample_is_reproducible_with_its_seed(alice, bob):
    members = [MemberFactory() for _ in range(30)]

    first = review_selectors.sample_members(members, 5, "2026-Q4")
    again = review_selectors.sample_members(list(reversed(members)), 5, "2026-Q4")
    other = review_selectors.sample_members(members, 5, "2027-Q1")

    assert [m.pk for m in first] == [m.pk for m in again]
    assert [m.pk for m in first] != [m.pk for m in other]


def test_an_audit_requests_certificates_of_category_1_entries_and_tracks_answers(
    reviewer_client, alice, bob
):
    asked = CreditEntryFactory(member=alice, patient_safety_credits=Decimal("0"))
    CreditEntryFactory(member=alice, category=2, provider=None, patient_safety_credits=Decimal("0"))
    CreditEntryFactory(member=bob, patient_safety_credits=Decimal("0"))

    response = reviewer_client.post(
        "/staff/audits/",
        {
            "start": shifted_iso("2025-01-01"),
            "end": shifted_iso("2026-11-01"),
            "asps_ids": alice.asps_id,
            "note": "Audit 2026",
        },
    )

    assert response.status_code == 302
    asked.refresh_from_db()
    # Asking for a certificate is not a review decision: no status moves.
    assert asked.review_status == "not_required"
    assert not CreditEntry.objects.filter(review_status="documentation_requested").exists()
    assert [r.entry for r in DocumentationRequest.objects.all()] == [asked]
    progress = reviewer_client.get(response["Location"]).content.decode()
    assert "Waiting" in progress


def test_an_audit_by_sample_needs_a_seed(reviewer_client):
    response = reviewer_client.post(
        "/staff/audits/",
        {"start": "2025-01-01", "end": "2026-11-01", "sample_size": "5", "note": "Audit"},
    )

    assert response.status_code == 400
    assert "A sample needs a seed" in response.content.decode()


def test_the_audit_trail_cannot_be_edited_in_the_admin(client, claim, reviewer, django_user_model):
    superuser = with_two_factor(
        django_user_model.objects.create_superuser(email="root@example.org", password="x" * 20)
    )
    review_services.review_decide(entry=claim, decision="approve", by=reviewer)
    decision = ReviewDecision.objects.get()
    client.force_login(superuser)

    assert client.get("/admin/credits/reviewdecision/").status_code == 200
    page = client.get(f"/admin/credits/reviewdecision/{decision.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert client.post(f"/admin/credits/reviewdecision/{decision.pk}/delete/").status_code == 403


@pytest.mark.parametrize("path", ["/staff/reviews/", "/admin/"])
def test_staff_without_two_factor_are_sent_to_set_it_up_first(client, reviewer, path):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=reviewer).delete()
    client.force_login(reviewer)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_set_the_bodies_that_apply_on_the_member_page(reviewer_client, alice):
    url = f"/staff/members/{alice.asps_id}/"
    fields = {"form": "bodies", "bodies-asps_member": "on", "bodies-asaps_member": "on"}

    refused = reviewer_client.post(url, {**fields, "bodies-abps_certification_year": "1850"})
    refused_body = refused.content.decode()
    saved = reviewer_client.post(url, {**fields, "bodies-abps_certification_year": "2023"})

    assert refused.status_code == 400
    assert 'value="1850"' in refused_body  # what was typed is kept, next to its message
    assert "errorlist" in refused_body
    assert "certified 1850" not in refused_body  # the page's figures keep the saved values
    assert saved.status_code == 302
    alice.refresh_from_db()
    assert (alice.asps_member, alice.asaps_member, alice.abps_certification_year) == (
        True,
        True,
        2023,
    )
    assert "ABPS diplomate, certified 2023" in reviewer_client.get(url).content.decode()


def test_a_change_of_the_bodies_that_apply_is_kept_in_the_security_log(
    reviewer_client, reviewer, alice
):
    url = f"/staff/members/{alice.asps_id}/"
    fields = {"form": "bodies", "bodies-asps_member": "on", "bodies-asaps_member": "on"}

    reviewer_client.post(url, {**fields, "bodies-abps_certification_year": "1850"})  # refused
    reviewer_client.post(url, {**fields, "bodies-abps_certification_year": "2023"})
    reviewer_client.post(url, {**fields, "bodies-abps_certification_year": "2023"})  # no change

    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.REQUIREMENT_SETS_CHANGED))
    assert len(events) == 1
    assert (events[0].actor, events[0].target) == (reviewer, alice.asps_id)
    assert events[0].details == {
        "asaps_member": [False, True],
        "abps_certification_year": [None, 2023],
    }
    log = reviewer_client.get("/staff/audit-log/").content.decode()
    assert "Requirement sets changed" in log
