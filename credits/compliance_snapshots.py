"""The month-end compliance snapshots (:class:`credits.models.ComplianceSnapshot`), for the
staff overview's chart: the compliance rate of each population at each month's end
(docs/rules.md §1 "The membership's compliance").

- **Who is counted** at a month's end: members of a membership type held to the requirement
  (active members and candidates), of the population (ASPS: ``asps_member``; ASAPS:
  ``asaps_member``; ABPS: diplomates), who had joined by that day and whose cycle had begun.
  Membership and bodies are read as they are now (the past ones are not kept).
- **In compliance**: the society requirement of the cycle holding that day is met, or on pace
  (:data:`credits.rules.IN_COMPLIANCE`: compliant or on track). ABPS diplomates are counted by
  the same requirement (the board's own deadlines are in :mod:`credits.abps_overview`).

:func:`record_month_end` is the nightly job's, on a month's last day, from the summaries it has
just refreshed (one aggregate). :func:`backfill` computes past month ends from the entries,
set-based: one ``GROUP BY member, month`` aggregate per (cycle start, cycle) whatever the
number of months, credits of the months up to each month end added up in Python, the pure
rules judging each member; entries count from their end date on (what a member had earned by
then), reviews as they stand now. Both upsert: running them again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from credits import rules
from credits.compliance_summary_services import CHUNK, summarize
from credits.membership_selectors import status_condition
from credits.models import ComplianceSnapshot, ComplianceSummary, CreditEntry
from credits.rules.pace import status as pace_status
from credits.selectors import TOTALS_AGGREGATES
from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Member

Population = ComplianceSnapshot.Population
HELD = sorted(MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT)


def population_condition(population: str, prefix: str = "") -> Q:
    """Who a population holds (``prefix``: the path to the member, e.g. ``"member__"``)."""
    held = Q(**{f"{prefix}membership_type__in": HELD})
    if population == Population.ASPS:
        return held & Q(**{f"{prefix}asps_member": True})
    if population == Population.ASAPS:
        return held & Q(**{f"{prefix}asaps_member": True})
    return held & Q(**{f"{prefix}abps_certification_year__isnull": False})


def _save(month_end: dt.date, counts: dict[str, tuple[int, int]]) -> list[ComplianceSnapshot]:
    rows = [
        ComplianceSnapshot(
            month_end=month_end,
            population=population,
            members=counts.get(population, (0, 0))[0],
            compliant=counts.get(population, (0, 0))[1],
            recorded_at=timezone.now(),
        )
        for population in Population.values
    ]
    ComplianceSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["month_end", "population"],
        update_fields=["members", "compliant", "recorded_at"],
    )
    return rows


def record_month_end(month_end: dt.date) -> list[ComplianceSnapshot]:
    """The snapshots of ``month_end`` from the summaries (refreshed as of that day), in one
    aggregate query: the rows of the cycle holding the day."""
    in_compliance = Q()
    for pace in rules.IN_COMPLIANCE:
        in_compliance |= status_condition(pace.value, month_end)
    aggregates = {}
    for population in Population.values:
        members = population_condition(population, "member__")
        aggregates[f"{population}_members"] = Count("pk", filter=members)
        aggregates[f"{population}_compliant"] = Count("pk", filter=members & in_compliance)
    row = ComplianceSummary.objects.filter(
        cycle_start__lte=month_end,
        cycle_end__gte=month_end,
        member__joined_on__lte=month_end,
        member__cycle_start__lte=month_end,
    ).aggregate(**aggregates)
    counts = {p: (row[f"{p}_members"], row[f"{p}_compliant"]) for p in Population.values}
    return _save(month_end, counts)


def _monthly_totals(
    member_ids: list[int], window: rules.Window, last: dt.date
) -> dict[int, list[tuple[dt.date, rules.Totals]]]:
    """Each member's totals per month of the window up to ``last``, in one aggregate."""
    rows = (
        CreditEntry.objects.filter(member_id__in=member_ids)
        .in_window(window.start, min(window.end, last))
        .annotate(month=TruncMonth("end_date"))
        .values("member_id", "month")
        .annotate(**TOTALS_AGGREGATES)
        .order_by()
    )
    found: dict[int, list[tuple[dt.date, rules.Totals]]] = defaultdict(list)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        found[row["member_id"]].append((month, rules.Totals.from_row(row)))
    return found


def _in_compliance(totals: rules.Totals, window: rules.Window, day: dt.date) -> bool:
    values = summarize(totals, window)
    pace = pace_status(
        met=bool(values["met"]), cycle_end=window.end, behind=values["behind_from"], as_of=day
    )
    return pace in rules.IN_COMPLIANCE


def backfill(*, months: int = 36, today: dt.date | None = None) -> int:
    """The snapshots of the last ``months`` month ends on or before ``today``, computed from
    the entries; returns how many rows were written. Idempotent."""
    ends = rules.month_ends(today or timezone.localdate(), months)
    if not ends:
        return 0
    held = Member.objects.filter(membership_type__in=HELD).order_by()
    fields = ("pk", "cycle_start", "joined_on", "asps_member", "asaps_member")
    people = held.values_list(*fields, "abps_certification_year")
    by_start: dict[dt.date, list[tuple]] = defaultdict(list)
    for person in people.iterator(chunk_size=5000):
        by_start[person[1]].append(person)
    counts = {end: {p: [0, 0] for p in Population.values} for end in ends}
    for cycle_start, group in by_start.items():
        by_window: dict[rules.Window, list[dt.date]] = defaultdict(list)
        for end in ends:
            window = rules.current_cycle(cycle_start, end)
            if window.start <= end:  # the member's first cycle had begun
                by_window[window].append(end)
        for window, window_ends in by_window.items():
            for at in range(0, len(group), CHUNK):
                chunk = group[at : at + CHUNK]
                monthly = _monthly_totals([p[0] for p in chunk], window, max(window_ends))
                for end in window_ends:
                    _count(counts[end], chunk, monthly, window, end)
    for end in ends:
        _save(end, {p: (n, c) for p, (n, c) in counts[end].items()})
    return len(ends) * len(Population.values)


def _count(
    counts: dict[str, list[int]],
    people: list[tuple],
    monthly: dict[int, list[tuple[dt.date, rules.Totals]]],
    window: rules.Window,
    end: dt.date,
) -> None:
    for pk, _, joined_on, asps, asaps, abps_year in people:
        if joined_on > end:
            continue
        totals = rules.Totals.ZERO
        for month, amount in monthly.get(pk, ()):
            if month <= end:
                totals = totals + amount
        ok = _in_compliance(totals, window, end)
        for population, belongs in (
            (Population.ASPS, asps),
            (Population.ASAPS, asaps),
            (Population.ABPS, abps_year is not None),
        ):
            if belongs:
                counts[population][0] += 1
                counts[population][1] += ok
