"""One panel per body on the dashboard, a section per body in the report and its PDF
in a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bench.queries import page_queries
from credits import rules
from credits.models import CreditEntry
from tests.factories import (
    ApprovedActivityFactory,
    CompletedTracerProcedureFactory,
    CreditEntryFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def next_deadline(alice):
    """Alice becomes an ABPS diplomate certified four years ago; her next board deadline."""
    today = timezone.localdate()
    alice.abps_certification_year = today.year - 4
    alice.save()
    return rules.next_milestone(alice.abps_certification_year, today)


def in_window(milestone: rules.Milestone) -> dt.date:
    """A day inside the milestone's window, not in the future."""
    return min(milestone.window.end, timezone.localdate()) - dt.timedelta(days=1)


def test_a_member_of_asps_only_sees_one_summary(alice_client):
    body = alice_client.get("/").content.decode()

    assert "CME summary" in body
    assert 'id="body-asaps"' not in body and 'id="body-abps"' not in body


def test_the_dashboard_shows_a_panel_per_applicable_body(alice_client, alice, next_deadline):
    alice.asaps_member = True
    alice.save()
    CreditEntryFactory(
        member=alice,
        end_date=in_window(next_deadline),
        patient_safety_credits=Decimal("5"),
        review_status="approved",
    )

    body = alice_client.get("/").content.decode()

    assert 'id="body-asps"' in body and 'id="body-asaps"' in body and 'id="body-abps"' in body
    assert "ASAPS membership" in body and "ABPS Continuous Certification" in body
    assert (
        f"next deadline <strong>{next_deadline.deadline:%b} {next_deadline.deadline.day}," in body
    )
    panel = body[body.index('id="body-abps"') :]
    assert "15 more patient-safety credits by" in panel
    assert "Tracer procedures (ABPS)" in body  # the quick link


def test_the_abps_panel_says_what_is_missing_for_a_tracer_procedure(
    alice_client, alice, next_deadline
):
    if not next_deadline.asks_tracer_procedures:
        next_deadline = rules.previous_milestone(next_deadline)
    CompletedTracerProcedureFactory(
        member=alice, procedure__name="Rhinoplasty", completed_on=in_window(next_deadline)
    )

    body = alice_client.get("/").content.decode()

    assert "an approved educational activity aligned with Rhinoplasty" in body


def test_special_circumstances_show_the_approved_activity_instead(
    alice_client, alice, next_deadline
):
    alice.abps_special_circumstances = True
    alice.save()

    panel = alice_client.get("/").content.decode().split('id="body-abps"')[1]

    assert "Special Circumstances" in panel
    assert "an approved patient-safety activity" in panel
    assert "Tracer procedures with an aligned activity" not in panel


def test_one_entry_counts_toward_every_body_but_once_in_each(alice, next_deadline):
    """An approved patient-safety entry counts for ASPS, ASAPS and the ABPS window."""
    from credits import certification_selectors, selectors

    alice.asaps_member = True
    alice.save()
    CreditEntryFactory(
        member=alice,
        end_date=in_window(next_deadline),
        patient_safety_credits=Decimal("4"),
        review_status="approved",
    )
    today = timezone.localdate()
    cycle = rules.current_cycle(alice.cycle_start, today)
    totals = selectors.totals_for(alice, cycle)

    found = certification_selectors.bodies_for(alice, totals=totals, as_of=today)
    bodies = {b.code: b for b in found}
    board = bodies["abps"].certification
    in_cycle = cycle.contains(in_window(next_deadline))
    expected = Decimal("4") if in_cycle else Decimal("0")

    assert bodies["asps"].compliance.requirement("patient_safety").counted == expected
    assert bodies["asaps"].compliance.requirement("patient_safety").counted == expected
    counted = [
        m.requirement("patient_safety").counted
        for m in board.milestones
        if any(r.code == "patient_safety" for r in m.requirements)
    ]
    assert sorted(counted)[-1] == 4 and sum(counted) == 4  # one window only


def test_the_dashboard_runs_the_same_number_of_queries_for_10_and_1000_entries(
    alice_client, alice, next_deadline
):
    alice.asaps_member = True
    alice.save()
    activity = ApprovedActivityFactory()

    def queries_with(count: int) -> int:
        CreditEntry.objects.filter(member=alice).delete()
        CreditEntryFactory.create_in_bulk(count, member=alice, end_date=in_window(next_deadline))
        # Patient safety met either way: "Ways to earn patient-safety credits" adds its query
        # for a member short of them only (tests/reports/test_ways_to_earn.py).
        CreditEntryFactory(
            member=alice,
            end_date=in_window(next_deadline),
            credits=Decimal("20"),
            patient_safety_credits=Decimal("20"),
            plastic_surgery_credits=Decimal("0"),
            review_status="approved",
        )
        for _ in range(count // 100 + 1):
            CompletedTracerProcedureFactory(
                member=alice,
                procedure=activity.tracer_procedure,
                completed_on=in_window(next_deadline),
                approved_activity=activity,
                activity_completed_on=in_window(next_deadline),
            )
        return page_queries(alice_client, "/")

    assert queries_with(10) == queries_with(1000)


def test_the_abps_panel_costs_two_queries(alice_client, alice):
    without = page_queries(alice_client, "/")
    alice.abps_certification_year = 2021
    alice.asaps_member = True  # the same totals: no query
    alice.save()
    with_bodies = page_queries(alice_client, "/")

    assert with_bodies - without == 2


def test_the_report_page_and_pdf_have_a_section_per_body(alice_client, alice, next_deadline):
    alice.asaps_member = True
    alice.save()
    CreditEntryFactory(member=alice, title="Safety course", end_date=in_window(next_deadline))

    page = alice_client.get(reverse("reports:cme")).content.decode()
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf")))

    for shown in (page, text):
        assert "ASAPS membership" in shown
        assert "ABPS Continuous Certification" in shown
        assert f"certified {alice.abps_certification_year}" in shown
        assert f"Year {next_deadline.year}" in shown
        assert "Seed 0" not in shown  # the sources in plain words, no references to our specs
        assert "rules.md" not in shown
    # The ASAPS requirements are the ASPS ones over the same window: one line, its own verdict,
    # not the same table again.
    asaps = page[page.index('id="report-asaps"') :].split("</section>")[0]
    assert ">Earned</th>" not in asaps
    assert "Same requirements as ASPS" in asaps
    assert "All four ASAPS requirements met" in asaps or "Still needed: " in asaps


def test_the_pdf_of_a_member_without_other_bodies_has_no_such_section(alice_client):
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf")))

    assert "ABPS Continuous Certification" not in text
    assert "ASAPS membership" not in text
