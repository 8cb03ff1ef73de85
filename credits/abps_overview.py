"""The ABPS part of the staff overview: where the diplomates whose next 1 December deadline is
the coming one stand on each thing it asks (docs/rules.md §6), set-based.

Every diplomate with a deadline that day shares its window (the three years before it), so
the facts cost three queries whatever the number of diplomates: the diplomates, one ``GROUP BY
member`` aggregate of their patient-safety credits in the window, their tracer procedures. The
pure rules (:func:`credits.rules.evaluate_milestone`) judge each diplomate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F

from credits import rules
from credits.certification_selectors import APPROVED_PATIENT_SAFETY, sum_credits, tracer_records
from credits.models import CompletedTracerProcedure, CreditEntry
from credits.selectors import PATIENT_SAFETY_COUNTS, PATIENT_SAFETY_UNDER_REVIEW
from members.lookups import AnyOf
from members.models import Member

CODES = rules.CertificationRequirementCode


@dataclass(frozen=True)
class AbpsOverview:
    """``deadline``: the coming 1 December; ``diplomates``: those with a deadline that day;
    ``met`` and ``not_met``: by requirement code (patient safety, tracer procedures — years 3
    and 6 only —, special circumstances), how many diplomates asked for it meet it or not."""

    deadline: dt.date
    diplomates: int
    met: dict[str, int]
    not_met: dict[str, int]


def next_deadline(today: dt.date) -> dt.date:
    month, day = rules.ABPS.deadline
    deadline = dt.date(today.year, month, day)
    return deadline if deadline >= today else deadline.replace(year=today.year + 1)


def abps_overview(today: dt.date) -> AbpsOverview:
    deadline = next_deadline(today)
    due: dict[int, tuple[rules.Milestone, bool]] = {}
    diplomates = Member.objects.filter(abps_certification_year__isnull=False).values_list(
        "pk", "abps_certification_year", "abps_special_circumstances"
    )
    for pk, year, special in diplomates.order_by().iterator(chunk_size=5000):
        milestone = rules.next_milestone(year, today)
        if milestone.deadline == deadline:
            due[pk] = (milestone, special)
    met = {code.value: 0 for code in CODES}
    not_met = {code.value: 0 for code in CODES}
    if not due:
        return AbpsOverview(deadline, 0, met, not_met)
    window = next(iter(due.values()))[0].window
    ids = sorted(due)
    facts = _facts(ids, window)
    procedures = _tracer_procedures(ids)
    for pk, (milestone, special) in due.items():
        result = rules.evaluate_milestone(
            milestone,
            facts.get(pk, rules.BoardWindowFacts()),
            procedures.get(pk, []),
            as_of=today,
            special_circumstances=special,
        )
        for requirement in result.requirements:
            (met if requirement.met else not_met)[requirement.code] += 1
    return AbpsOverview(deadline, len(due), met, not_met)


def _facts(ids: list[int], window: rules.Window) -> dict[int, rules.BoardWindowFacts]:
    rows = (
        CreditEntry.objects.filter(AnyOf(F("member_id"), ids))
        .counted()
        .in_window(window.start, window.end)
        .values("member_id")
        .annotate(
            ps=sum_credits("patient_safety_credits", PATIENT_SAFETY_COUNTS),
            pending=sum_credits("patient_safety_credits", PATIENT_SAFETY_UNDER_REVIEW),
            approved=Count("id", filter=APPROVED_PATIENT_SAFETY),
        )
        .order_by()
    )
    return {
        row["member_id"]: rules.BoardWindowFacts(
            patient_safety=row["ps"],
            patient_safety_pending=row["pending"],
            approved_patient_safety_activities=row["approved"],
        )
        for row in rows
    }


def _tracer_procedures(ids: list[int]) -> dict[int, list[rules.TracerProcedureRecord]]:
    done = CompletedTracerProcedure.objects.filter(AnyOf(F("member_id"), ids)).select_related(
        "procedure", "approved_activity__tracer_procedure"
    )
    by_member: dict[int, list[CompletedTracerProcedure]] = defaultdict(list)
    for record in done:
        by_member[record.member_id].append(record)
    return {pk: tracer_records(records) for pk, records in by_member.items()}
