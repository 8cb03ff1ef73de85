"""Honest verdicts on every output (dashboard, report page, PDF, verification page): "Met
(pending review)" when only pending claims meet a requirement, "Not met" for a closed cycle,
plain totals for a date range — and the dashboard's "Action needed" strip."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bench.queries import page_queries
from credits.models import HeldMeetingCredit
from reports.models import IssuedReport
from tests.factories import CreditEntryFactory
from tests.today import shifted

pytestmark = pytest.mark.django_db

PENDING_HEADLINE = "All four requirements met — 37 patient-safety credits still pending review"


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def full_cycle(member, *, pending_ps: Decimal = Decimal("37")) -> None:
    """150 Category 1 credits, 60 in plastic surgery; patient safety: 3 approved and
    ``pending_ps`` waiting for staff (20 needed)."""
    for _ in range(5):
        CreditEntryFactory(
            member=member,
            credits=Decimal("30"),
            plastic_surgery_credits=Decimal("12"),
            patient_safety_credits=Decimal("0"),
        )
    CreditEntryFactory(
        member=member, title="Approved safety", patient_safety_credits=Decimal("3"),
        review_status="approved",
    )  # fmt: skip
    if pending_ps:
        CreditEntryFactory(
            member=member, title="Pending safety", patient_safety_credits=pending_ps,
            credits=pending_ps, review_status="pending",
        )  # fmt: skip


def test_the_dashboard_says_met_pending_review_and_why(alice_client, alice):
    full_cycle(alice)

    page = alice_client.get("/").content.decode()

    assert PENDING_HEADLINE in page
    assert "Met (pending review)" in page
    assert "✓ All four requirements met</p>" not in page  # never a bare verdict
    strip = page[page.index('id="actions"') : page.index('id="body-asps"')]
    assert "Met only if the 37 pending patient-safety credits are approved" in strip


def test_the_report_page_pdf_and_verify_page_say_met_pending_review(alice_client, alice, client):
    full_cycle(alice)

    page = alice_client.get(reverse("reports:cme")).content.decode()
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf")))
    issued = IssuedReport.objects.get()
    verify = client.get(reverse("reports:verify", args=[issued.code])).content.decode()

    for shown in (page, text, verify):
        assert "Met (pending review)" in shown
        assert "37 patient-safety credits still pending review" in shown
    assert "Compliant" not in verify
    assert "All four ASPS requirements met" in verify


def test_approved_claims_make_it_plainly_met(alice_client, alice, client):
    full_cycle(alice, pending_ps=Decimal("0"))
    CreditEntryFactory(
        member=alice, credits=Decimal("17"), patient_safety_credits=Decimal("17"),
        review_status="approved",
    )  # fmt: skip

    page = alice_client.get("/").content.decode()
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf")))
    verify = client.get(
        reverse("reports:verify", args=[IssuedReport.objects.get().code])
    ).content.decode()

    for shown in (page, text, verify):
        assert "pending review" not in shown.replace("claims pending staff review", "")
    assert "✓ All four requirements met" in page
    assert 'id="actions"' not in page  # nothing to do: no strip


def test_a_closed_cycle_short_of_credits_says_not_met(alice_client, alice, client):
    query = "?cycle=previous"

    page = alice_client.get(reverse("reports:cme") + query).content.decode()
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf") + query))
    verify = client.get(
        reverse("reports:verify", args=[IssuedReport.objects.get().code])
    ).content.decode()

    for shown in (page, text, verify):
        assert "Not met" in shown
        assert "Not yet" not in shown and "Still needed" not in shown


def test_a_date_range_shows_totals_and_no_three_year_verdict(alice_client, alice, client):
    CreditEntryFactory(member=alice, credits=Decimal("57"))
    start, end = shifted(dt.date(2025, 1, 1)), shifted(dt.date(2025, 12, 31))
    query = f"?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"

    page = alice_client.get(reverse("reports:cme") + query).content.decode()
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf") + query))
    verify = client.get(
        reverse("reports:verify", args=[IssuedReport.objects.get().code])
    ).content.decode()

    for shown in (page, text, verify):
        assert "Totals for this date range" in shown
        for verdict in ("Still needed", "more credits", "Not yet", "Not met", "Met"):
            assert verdict not in shown.replace("Meeting", ""), verdict


def test_the_strip_lists_held_meeting_credits_with_the_evaluation_link(alice_client, alice):
    for code in ("PSTM25-S101", "PSTM25-S102"):
        HeldMeetingCredit.objects.create(
            asps_id=alice.asps_id,
            activity_code=code,
            row={"activity_title": f"Session {code}", "credits": "2"},
        )

    page = alice_client.get("/").content.decode()

    strip = page[page.index('id="actions"') : page.index('id="body-asps"')]
    assert "2 meeting credits waiting for your CME evaluation" in strip
    assert "Session PSTM25-S101" in strip
    assert 'href="https://www.plasticsurgery.org/for-medical-professionals/education"' in strip


def test_the_strip_links_each_entry_to_act_on(alice_client, alice):
    asked = CreditEntryFactory(member=alice, title="Asked", review_status="documentation_requested")
    refused = CreditEntryFactory(member=alice, title="Refused", review_status="rejected")

    page = alice_client.get("/").content.decode()

    strip = page[page.index('id="actions"') : page.index('id="body-asps"')]
    assert f'href="/credits/{asked.pk}/"' in strip
    assert f'href="/credits/{refused.pk}/"' in strip
    assert "Upload the certificate" in strip


def test_the_strip_costs_the_same_queries_for_one_or_many_things_to_do(alice_client, alice):
    def queries_with(count: int) -> int:
        for index in range(count):
            CreditEntryFactory(member=alice, review_status="documentation_requested")
            CreditEntryFactory(member=alice, review_status="rejected")
            HeldMeetingCredit.objects.create(
                asps_id=alice.asps_id, activity_code=f"C{count}-{index}", row={}
            )
        return page_queries(alice_client, "/")

    nothing = page_queries(alice_client, "/")
    few, many = queries_with(1), queries_with(12)

    assert few == many
    assert few - nothing <= 0  # the strip's two queries run either way


def test_the_dashboard_and_report_link_what_members_know(alice_client):
    for path in ("/", reverse("reports:cme")):
        page = alice_client.get(path).content.decode()
        for url in (
            "https://www.plasticsurgery.org/for-medical-professionals/education",
            "https://www.plasticsurgery.org/for-medical-professionals/education/patient-safety",
            "https://www.ama-assn.org",
            "https://www.abplasticsurgery.org",
        ):
            assert f'href="{url}"' in page, (path, url)


def test_the_report_lists_the_newest_first_and_offers_go_to_totals(alice_client, alice):
    CreditEntryFactory(member=alice, title="Older", end_date=shifted(dt.date(2025, 2, 1)))
    CreditEntryFactory(member=alice, title="Newer", end_date=shifted(dt.date(2026, 2, 1)))

    page = alice_client.get(reverse("reports:cme")).content.decode()

    assert page.index("Newer") < page.index("Older")
    assert 'href="#totals"' in page and 'id="totals"' in page


def test_staff_see_the_same_honest_verdict_on_a_members_page(reviewer_client, alice):
    full_cycle(alice)

    page = reviewer_client.get(reverse("staff:member", args=[alice.asps_id])).content.decode()

    assert PENDING_HEADLINE in page
    assert "Met (pending review)" in page
