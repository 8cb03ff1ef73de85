"""What the dashboard reads from a member's entries and reviews, cached per member under a
version that every write to them changes (``credits.summary_cache``: the member's compliance
summary rows as stored). The key also holds the day (the chart and the days left run to
today) and the cycle.

Read live on every visit, not cached: the member and their login, the held meeting credits
(their own table, written by imports before a member's entry exists), the further bodies
(certifications) and the ways to earn (the catalogue), and the page's rendering (its forms
carry the visitor's own CSRF token).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credits import rules, selectors, summary_cache
from credits.models import CreditEntry, ReviewDecision
from members.models import Member
from reports import cme_report

RECENT_ENTRIES = 5


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


def read(member: Member, cycle: rules.Window, today: dt.date) -> DashboardData:
    """The dashboard's data from the entries and reviews, in five queries."""
    totals, reviews = selectors.totals_and_review_counts(member, cycle)
    return DashboardData(
        totals_values=summary_cache.plain_totals(totals),
        reviews=reviews,
        needing_action=selectors.entries_needing_action(member, cycle),
        chart=cme_report.cycle_chart(member, cycle, today),
        decisions=list(member.review_decisions.all()[:RECENT_ENTRIES]),
        recent_entries=list(
            selectors.member_entries(member).order_by("-end_date", "-id")[:RECENT_ENTRIES]
        ),
    )


def dashboard_data(member: Member, cycle: rules.Window, today: dt.date) -> DashboardData:
    """:func:`read`, from the cache while the member's version has not changed."""
    return summary_cache.cached(
        member, "dashboard", (today, cycle.start), lambda: read(member, cycle, today)
    )
