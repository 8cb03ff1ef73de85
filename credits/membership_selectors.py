"""Reads of the membership's compliance, for CME staff: which members a filter picks, and the
counts of the staff overview — from the per-member summaries
(:class:`credits.models.ComplianceSummary`), never by evaluating everyone on a request.

Every status is decided in SQL by the same comparisons as the pure rule
(:func:`credits.rules.pace.status`): met → compliant; cycle ended unmet → short; unmet and on or
after the day the member fell behind pace → at risk; else on track.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from credits import rules
from credits.models import ComplianceSnapshot, ComplianceSummary
from credits.rules.pace import status as pace_status
from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Standing

REQUIREMENTS = ("total", "category_1", "plastic_surgery", "patient_safety")
BODIES = ("asps", "asaps", "abps")
SORTS = ("days_left", "deficit")
ZERO = rules.ZERO_CREDITS


def status_condition(status: str, today: dt.date) -> Q:
    """The SQL of :func:`credits.rules.pace.status` for one status, as of ``today``."""
    pace = rules.Pace(status)
    if pace == rules.Pace.COMPLIANT:
        return Q(met=True)
    if pace == rules.Pace.SHORT:
        return Q(met=False, cycle_end__lt=today)
    if pace == rules.Pace.AT_RISK:
        return Q(met=False, cycle_end__gte=today, behind_from__lte=today)
    return Q(met=False, cycle_end__gte=today) & (
        Q(behind_from__gt=today) | Q(behind_from__isnull=True)
    )


@dataclass(frozen=True)
class MembershipFilter:
    """What staff chose on the overview or the at-risk list (all optional).

    ``years``: the years the cycle ends in (default: this year and next, see
    :func:`default_years`); ``ends_within_days``: the cycle ends within that many days from
    today (and has not ended); ``requirement``: one of :data:`REQUIREMENTS` is short;
    ``status``: a :class:`credits.rules.Pace` value; ``body``: one of :data:`BODIES`.
    """

    years: tuple[int, ...] = ()
    ends_within_days: int | None = None
    requirement: str = ""
    status: str = ""
    membership_type: str = ""
    state: str = ""
    body: str = ""
    standing: str = ""
    pending_only: bool = False
    sort: str = "days_left"
    extra: dict = field(default_factory=dict, compare=False)


def default_years(today: dt.date) -> tuple[int, ...]:
    return (today.year, today.year + 1)


def matching(chosen: MembershipFilter, *, today: dt.date) -> QuerySet[ComplianceSummary]:
    """The summaries (one per member: the cycle ending in the chosen years) the filter picks,
    with their member, sorted as chosen. Members not held to the requirement are left out
    unless a membership type is chosen."""
    years = chosen.years or default_years(today)
    # Date ranges, not ``cycle_end__year``: EXTRACT(year ...) is served by no index.
    in_years = Q()
    for year in sorted(set(years)):
        in_years |= Q(cycle_end__gte=dt.date(year, 1, 1), cycle_end__lte=dt.date(year, 12, 31))
    rows = ComplianceSummary.objects.filter(in_years).select_related("member", "member__user")
    if chosen.membership_type:
        rows = rows.filter(member__membership_type=chosen.membership_type)
    else:
        rows = rows.filter(member__membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT)
    if chosen.ends_within_days is not None:
        last = today + dt.timedelta(days=chosen.ends_within_days)
        rows = rows.filter(cycle_end__gte=today, cycle_end__lte=last)
    if chosen.requirement in REQUIREMENTS:
        rows = rows.filter(**{f"{chosen.requirement}_short__gt": 0})
    if chosen.status in rules.Pace._value2member_map_:
        rows = rows.filter(status_condition(chosen.status, today))
    if chosen.state:
        rows = rows.filter(member__state__iexact=chosen.state)
    if chosen.body == "asps":
        rows = rows.filter(member__asps_member=True)
    elif chosen.body == "asaps":
        rows = rows.filter(member__asaps_member=True)
    elif chosen.body == "abps":
        rows = rows.filter(member__abps_certification_year__isnull=False)
    if chosen.standing in Standing.values:
        rows = rows.filter(member__standing=chosen.standing)
    if chosen.pending_only:
        rows = rows.filter(depends_on_pending=True)
    if chosen.sort == "deficit":
        return rows.order_by("-short_by", "cycle_end", "member_id")
    return rows.order_by("cycle_end", "-short_by", "member_id")


def overview_counts(chosen: MembershipFilter, *, today: dt.date) -> dict[str, object]:
    """The overview's numbers for the members the filter picks, in one aggregate query:
    ``members``; each status; ``depends_on_pending``; per requirement, how many are short and
    by how much in all (``<code>_short_count``, ``<code>_short_sum``); each standing."""
    aggregates: dict[str, object] = {"members": Count("pk")}
    for pace in rules.Pace:
        aggregates[pace.value] = Count("pk", filter=status_condition(pace.value, today))
    aggregates["depends_on_pending"] = Count("pk", filter=Q(depends_on_pending=True))
    for code in REQUIREMENTS:
        short = f"{code}_short"
        aggregates[f"{short}_count"] = Count("pk", filter=Q(**{f"{short}__gt": 0}))
        aggregates[f"{short}_sum"] = Coalesce(Sum(short), ZERO)
    for standing in Standing.values:
        aggregates[f"standing_{standing}"] = Count("pk", filter=Q(member__standing=standing))
    return matching(chosen, today=today).order_by().aggregate(**aggregates)


class MonthlyCompliance(NamedTuple):
    month_end: dt.date
    members: int
    compliant: int


# The words of a shortfall, in the order the requirements are listed on every page.
REQUIREMENT_WORDS = {
    "total": "total",
    "category_1": "Category 1",
    "plastic_surgery": "plastic surgery",
    "patient_safety": "patient safety",
}


def shortfall_words(summary: ComplianceSummary) -> str:
    """What a member lacks in credits, e.g. "34 total, 12 patient safety" ("" when nothing)."""
    return ", ".join(
        f"{rules.format_credits(getattr(summary, f'{code}_short'))} {words}"
        for code, words in REQUIREMENT_WORDS.items()
        if getattr(summary, f"{code}_short") > 0
    )


def pace_of(summary: ComplianceSummary, today: dt.date) -> rules.Pace:
    """The summary's status as of ``today`` (the pure rule, :func:`credits.rules.pace.status`)."""
    return pace_status(
        met=summary.met, cycle_end=summary.cycle_end, behind=summary.behind_from, as_of=today
    )


def monthly_compliance(
    population: str, months: int = 36, *, today: dt.date
) -> list[MonthlyCompliance]:
    """The overview's chart: ``(month_end, members, compliant)`` of ``population`` (``asps``,
    ``asaps`` or ``abps``) at each of the last ``months`` month ends on or before ``today``,
    oldest first, from the recorded snapshots (:mod:`credits.compliance_snapshots`); a month
    nothing was recorded for is left out. One query."""
    ends = rules.month_ends(today, months)
    if not ends:
        return []
    rows = ComplianceSnapshot.objects.filter(
        population=population, month_end__gte=ends[0], month_end__lte=ends[-1]
    ).order_by("month_end")
    return [
        MonthlyCompliance(row.month_end, row.members, row.compliant)
        for row in rows.only("month_end", "members", "compliant")
    ]
