"""Several bodies at once: which requirement sets apply to a member, and the reads of the ABPS
Continuous Certification (the rules, "ABPS Continuous Certification").

A member answers to ASPS (membership), maybe ASAPS, and maybe the ABPS. The pure rules are in
:mod:`credits.rules`; this module feeds them with set-based queries. Whatever the size of a
member's record, :func:`bodies_for` costs a fixed number of queries: none for the societies
(they share the ASPS totals the caller already has) and two for the ABPS (one aggregate over
the milestone windows, one for the tracer procedures). The writes (a member's tracer
procedures) are in :mod:`credits.certification_services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from credits import rules
from credits.models import (
    ApprovedActivity,
    CompletedTracerProcedure,
    CreditEntry,
    ReviewStatus,
    TracerProcedure,
)
from credits.selectors import PATIENT_SAFETY_COUNTS, PATIENT_SAFETY_UNDER_REVIEW, ZERO
from members.models import Member, User

# rules.BoardWindowFacts: an "approved patient safety activity" (Decision) is an entry whose
# patient-safety credits were approved by staff or needed no review (imported).
APPROVED_PATIENT_SAFETY = Q(patient_safety_credits__gt=0) & Q(
    review_status__in=[ReviewStatus.APPROVED, ReviewStatus.NOT_REQUIRED]
)


def sum_credits(field: str, condition: Q) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), ZERO)


# --- Which bodies apply ----------------------------------------------------------------------


def requirement_set_codes(member: Member) -> list[str]:
    """The codes of the requirement sets that apply to the member, in the order shown."""
    codes = []
    if member.asps_member:
        codes.append(rules.ASPS.code)
    if member.asaps_member:
        codes.append(rules.ASAPS.code)
    if member.is_abps_diplomate:
        codes.append(rules.ABPS.code)
    return codes


@dataclass(frozen=True)
class BodyStatus:
    """One panel of the dashboard and one section of the report: a body and where the member
    stands with it. Exactly one of ``compliance`` (a society's 3-year cycle) and
    ``certification`` (the ABPS) is set."""

    code: str
    name: str
    source: str
    compliance: rules.Compliance | None = None
    certification: rules.CertificationCompliance | None = None

    @property
    def is_certification(self) -> bool:
        return self.certification is not None


def bodies_for(
    member: Member, *, totals: rules.Totals, as_of: dt.date, include_asps: bool = True
) -> list[BodyStatus]:
    """Every body that applies to the member. ``totals`` are the member's totals of the
    society cycle (or window) shown; ASPS and ASAPS judge the same entries by the same numbers
    (ASAPS "About CME"), so ASAPS costs no query. An entry counts toward every body whose
    rules accept it, and once within each body: each body sums distinct entries, and the ABPS
    windows do not overlap."""
    bodies = []
    for code in requirement_set_codes(member):
        if code == rules.ABPS.code:
            bodies.append(
                BodyStatus(
                    code=code,
                    name=rules.ABPS.name,
                    source=rules.ABPS.source,
                    certification=certification_for(member, as_of=as_of),
                )
            )
        elif include_asps or code != rules.ASPS.code:
            requirement_set = rules.REQUIREMENT_SETS[code]
            bodies.append(
                BodyStatus(
                    code=code,
                    name=requirement_set.name,
                    source=requirement_set.source,
                    compliance=rules.evaluate(totals, requirement_set),
                )
            )
    return bodies


# --- ABPS reads ------------------------------------------------------------------------------


def board_facts(
    member: Member, windows: Iterable[rules.Window]
) -> dict[rules.Window, rules.BoardWindowFacts]:
    """The patient-safety facts of several windows, in one aggregate query."""
    windows = list(dict.fromkeys(windows))
    if not windows:
        return {}
    aggregates: dict[str, Any] = {}
    for index, window in enumerate(windows):
        scope = Q(end_date__gte=window.start, end_date__lte=window.end)
        aggregates[f"w{index}_ps"] = sum_credits(
            "patient_safety_credits", scope & PATIENT_SAFETY_COUNTS
        )
        aggregates[f"w{index}_pending"] = sum_credits(
            "patient_safety_credits", scope & PATIENT_SAFETY_UNDER_REVIEW
        )
        aggregates[f"w{index}_approved"] = Count("id", filter=scope & APPROVED_PATIENT_SAFETY)
    row = CreditEntry.objects.filter(member=member).counted().aggregate(**aggregates)
    return {
        window: rules.BoardWindowFacts(
            patient_safety=row[f"w{index}_ps"],
            patient_safety_pending=row[f"w{index}_pending"],
            approved_patient_safety_activities=row[f"w{index}_approved"],
        )
        for index, window in enumerate(windows)
    }


def tracer_procedures_of(member: Member) -> QuerySet[CompletedTracerProcedure]:
    return CompletedTracerProcedure.objects.filter(member=member).select_related(
        "procedure", "approved_activity__tracer_procedure"
    )


def tracer_records(
    procedures: Iterable[CompletedTracerProcedure],
) -> list[rules.TracerProcedureRecord]:
    """The rules' view of the member's tracer procedures."""
    records = []
    for done in procedures:
        activity = done.approved_activity
        records.append(
            rules.TracerProcedureRecord(
                procedure=done.procedure.name,
                completed_on=done.completed_on,
                activity=activity.title if activity else None,
                activity_aligned_with=activity.tracer_procedure.name if activity else None,
                activity_completed_on=done.activity_completed_on,
                activity_key=activity.pk if activity else None,
            )
        )
    return records


def certification_for(
    member: Member, *, as_of: dt.date, extra_windows: Iterable[rules.Window] = ()
) -> rules.CertificationCompliance | None:
    """Where an ABPS diplomate stands (None for anyone else), in two queries."""
    if not member.is_abps_diplomate:
        return None
    milestones = rules.certification_milestones(member.abps_certification_year, as_of)
    facts = board_facts(member, [*(m.window for m in milestones), *extra_windows])
    return rules.evaluate_certification(
        certification_year=member.abps_certification_year,
        as_of=as_of,
        facts=facts,
        tracer_procedures=tracer_records(tracer_procedures_of(member)),
        special_circumstances=member.abps_special_circumstances,
    )


def milestone_result(
    member: Member, milestone: rules.Milestone, *, as_of: dt.date
) -> tuple[rules.MilestoneResult, rules.BoardWindowFacts]:
    """One deadline of a diplomate's cycle (the API's ``?requirement_set=abps``)."""
    facts = board_facts(member, [milestone.window])[milestone.window]
    result = rules.evaluate_milestone(
        milestone,
        facts,
        tracer_records(tracer_procedures_of(member)),
        as_of=as_of,
        special_circumstances=member.abps_special_circumstances,
    )
    return result, facts


def tracer_procedures_for(user: User) -> QuerySet[CompletedTracerProcedure]:
    """The user's own tracer procedures: nobody else's, staff included (staff use the admin)."""
    return CompletedTracerProcedure.objects.owned_by(user).select_related(
        "procedure", "approved_activity__tracer_procedure"
    )


def tracer_procedure_for(user: User, pk: int) -> CompletedTracerProcedure:
    """One of the user's tracer procedures, or 404 when it is not theirs."""
    return get_object_or_404(tracer_procedures_for(user), pk=pk)


def procedure_choices(keep: CompletedTracerProcedure | None = None) -> QuerySet[TracerProcedure]:
    """Tracer procedures on the ABPS list, plus the one a record being edited already names."""
    kept = Q(pk=keep.procedure_id) if keep is not None else Q(pk__in=[])
    return TracerProcedure.objects.filter(Q(active=True) | kept).order_by("name")


def activity_choices(keep: CompletedTracerProcedure | None = None) -> QuerySet[ApprovedActivity]:
    """Approved activities on offer, plus the one a record being edited already links."""
    kept = Q(pk=keep.approved_activity_id) if keep is not None else Q(pk__in=[])
    return (
        ApprovedActivity.objects.filter(Q(active=True, tracer_procedure__active=True) | kept)
        .select_related("tracer_procedure")
        .order_by("tracer_procedure__name", "title")
    )
