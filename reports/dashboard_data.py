"""What the dashboard reads from a member's entries and reviews, cached per member under a
version that every write to them changes.

The version is the member's compliance summary rows as stored (each row's cycle and the
time it was written: ``credits.models.ComplianceSummary.refreshed_at``). Every write to
entries, reviews or a member's cycle (forms, the API, imports, reviews, the admin, undo and
restores) refreshes those rows in its own transaction, with a new ``refreshed_at``
(docs/rules.md §1 "The membership's compliance"; tests/credits/test_compliance_summary_fresh.py
holds each write path to it), so a page that reads the version after the write's commit
never finds the data of before. The version is read from the database on every visit (one
small query on the summary's unique index), not kept in the cache: a cache that missed a
message cannot serve an old page. The key also holds the day (the chart and the days left
run to today) and the cycle.

Read live on every visit, not cached: the member and their login, the held meeting credits
(their own table, written by imports before a member's entry exists), the further bodies
(certifications) and the ways to earn (the catalogue), and the page's rendering (its forms
carry the visitor's own CSRF token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, fields

from django.core.cache import cache

from credits import rules, selectors
from credits.models import ComplianceSummary, CreditEntry, ReviewDecision
from members.models import Member
from reports import cme_report

RECENT_ENTRIES = 5
TIMEOUT = 24 * 60 * 60  # a key is for one day at most (the day is part of it)
KEY_PREFIX = "dashboard-data"


@dataclass(frozen=True)
class DashboardData:
    totals_values: dict[str, object]  # rules.Totals as plain values (it holds a read-only map)
    reviews: dict[str, int]
    needing_action: list[CreditEntry]
    chart: str
    decisions: list[ReviewDecision]
    recent_entries: list[CreditEntry]

    @property
    def totals(self) -> rules.Totals:
        return rules.Totals(**self.totals_values)


def _plain(totals: rules.Totals) -> dict[str, object]:
    values = {field.name: getattr(totals, field.name) for field in fields(totals)}
    values["patient_safety_by_kind"] = dict(totals.patient_safety_by_kind)
    return values


def version(member: Member) -> str:
    """The member's summary rows as stored: a new value after any write to their entries."""
    rows = ComplianceSummary.objects.filter(member_id=member.pk).order_by("cycle_start")
    return ";".join(
        f"{cycle_start.isoformat()}@{refreshed_at.isoformat()}"
        for cycle_start, refreshed_at in rows.values_list("cycle_start", "refreshed_at")
    )


def read(member: Member, cycle: rules.Window, today: dt.date) -> DashboardData:
    """The dashboard's data from the entries and reviews, in five queries."""
    totals, reviews = selectors.totals_and_review_counts(member, cycle)
    return DashboardData(
        totals_values=_plain(totals),
        reviews=reviews,
        needing_action=selectors.entries_needing_action(member, cycle),
        chart=cme_report.cycle_chart(member, cycle, today),
        decisions=list(member.review_decisions.all()[:RECENT_ENTRIES]),
        recent_entries=list(
            selectors.member_entries(member).order_by("-end_date", "-id")[:RECENT_ENTRIES]
        ),
    )


def dashboard_data(member: Member, cycle: rules.Window, today: dt.date) -> DashboardData:
    """:func:`read`, from the cache when the member's version has not changed since. A member
    without summary rows (none written yet) is always read afresh."""
    current = version(member)
    if not current:
        return read(member, cycle, today)
    digest = hashlib.sha256(current.encode()).hexdigest()[:32]
    key = f"{KEY_PREFIX}:{member.pk}:{today.isoformat()}:{cycle.start.isoformat()}:{digest}"
    data = cache.get(key)
    if data is None:
        data = read(member, cycle, today)
        cache.set(key, data, TIMEOUT)
    return data
