"""What the compliance-summary tests share: a summary made stale on purpose, and the check
that the stored rows say what the pure rules say of totals read member by member."""

from __future__ import annotations

from decimal import Decimal

from credits import compliance_summary_services, selectors
from credits.compliance_summary_services import COMPARED_FIELDS, windows_of
from credits.models import ComplianceSummary
from members.models import Member
from tests.today import TODAY


def poison(*members: Member) -> None:
    """Store summaries that say something false, so that only a refresh makes them right."""
    compliance_summary_services.refresh([m.pk for m in members], today=TODAY)
    ComplianceSummary.objects.filter(member__in=members).update(
        total=Decimal("999"), met=True, short_by=0, behind_from=None
    )


def expected_rows(member: Member) -> dict:
    """The rows a fresh summary holds: each window's totals read on their own (the page's
    selector, not the refresh's aggregate), judged by the pure rules."""
    member.refresh_from_db()
    rows = {}
    for window in windows_of(member.cycle_start, TODAY):
        values = compliance_summary_services.summarize(selectors.totals_for(member, window), window)
        rows[window.start] = {field: values[field] for field in COMPARED_FIELDS}
    return rows


def stored_rows(member: Member) -> dict:
    return {
        row["cycle_start"]: row
        for row in ComplianceSummary.objects.filter(member=member).values(*COMPARED_FIELDS)
    }


def assert_fresh(*members: Member) -> None:
    for member in members:
        assert stored_rows(member) == expected_rows(member), member
