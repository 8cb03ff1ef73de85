"""ABPS Continuous Certification verdicts: each deadline of the certification cycle, and the
cycle as a whole (the rules, "ABPS Continuous Certification")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from credits.rules.amounts import ZERO_CREDITS, plural, quantize_credits
from credits.rules.certification import (
    ABPS,
    BoardWindowFacts,
    CertificationCompliance,
    CertificationRequirementSet,
    Milestone,
    MilestoneResult,
    TracerProcedureRecord,
    certification_cycle_first_year,
    certification_milestones,
)
from credits.rules.cycles import Window
from credits.rules.enums import CertificationRequirementCode, MilestoneStatus
from credits.rules.requirements import RequirementResult
from members.formatting import day as _date  # "Dec 1, 2029", as pages and emails write days


def _count(value: int) -> Decimal:
    return quantize_credits(value)


def _tracer_procedures(
    milestone: Milestone, records: Sequence[TracerProcedureRecord]
) -> tuple[RequirementResult, list[str], list[str]]:
    """ABPS Continuous Certification: "One approved educational activity is required with
    each tracer procedure. The educational activity can be completed within three years of
    completing the tracer procedure ... as long as the course is completed within the three
    years prior to the December 1st deadline and aligned with the completed tracer procedure."

    **Decision:** the deadline asks for at least one tracer procedure completed in its
    window, and each one completed there needs its own aligned activity completed there (so
    the two are always within three years of each other); one completion of an activity
    serves one tracer procedure only (never twice)."""
    window = milestone.window
    due = [r for r in records if window.contains(r.completed_on)]
    missing: list[str] = []
    notes: list[str] = []
    used: set[object] = set()
    aligned = 0
    for record in sorted(due, key=lambda r: r.completed_on):
        when = _date(record.completed_on)
        key = (record.activity_key, record.activity_completed_on)
        if record.activity is None or record.activity_completed_on is None:
            missing.append(
                f"an approved educational activity aligned with {record.procedure} "
                f"(performed {when}), completed by {_date(milestone.deadline)}"
            )
        elif record.activity_aligned_with != record.procedure:
            missing.append(
                f"“{record.activity}” is aligned with {record.activity_aligned_with}, not with "
                f"{record.procedure} (performed {when}): link an activity aligned with it"
            )
        elif not window.contains(record.activity_completed_on):
            missing.append(
                f"“{record.activity}” for {record.procedure} (performed {when}) was completed "
                f"on {_date(record.activity_completed_on)}, outside {_date(window.start)} – "
                f"{_date(window.end)}: complete an aligned activity within that window"
            )
        elif key in used:
            missing.append(
                f"“{record.activity}” of {_date(record.activity_completed_on)} already serves "
                f"another tracer procedure: {record.procedure} (performed {when}) needs its own"
            )
        else:
            used.add(key)
            aligned += 1
    required = max(len(due), 1)
    if not due:
        missing.append(
            f"a tracer procedure completed between {_date(window.start)} and "
            f"{_date(window.end)}, with an aligned approved educational activity"
        )
    result = RequirementResult(
        code=CertificationRequirementCode.TRACER_PROCEDURES,
        label=CertificationRequirementCode.TRACER_PROCEDURES.label,
        required=_count(required),
        earned=_count(aligned),
        counted=_count(aligned),
        remaining=_count(required - aligned),
        met=bool(due) and aligned == len(due),
    )
    return result, missing, notes


def evaluate_milestone(
    milestone: Milestone,
    facts: BoardWindowFacts,
    tracer_procedures: Sequence[TracerProcedureRecord],
    *,
    as_of: date,
    special_circumstances: bool = False,
    requirement_set: CertificationRequirementSet = ABPS,
) -> MilestoneResult:
    """One deadline of the certification cycle (the rules, "ABPS Continuous Certification").

    **Decision:** Special Circumstances (diplomates "not actively practicing plastic
    surgery") replace the 20 patient-safety credits and the tracer procedures with "an
    approved patient safety activity in Years 3, 6, and 9"; the activity is due in the same
    three-year window before the 1 December deadline as everything else.
    """
    results: list[RequirementResult] = []
    missing: list[str] = []
    notes: list[str] = []
    if special_circumstances:
        required = requirement_set.special_circumstances_activities_required
        done = facts.approved_patient_safety_activities
        met = done >= required
        results.append(
            RequirementResult(
                code=CertificationRequirementCode.SPECIAL_CIRCUMSTANCES,
                label=CertificationRequirementCode.SPECIAL_CIRCUMSTANCES.label,
                required=_count(required),
                earned=_count(done),
                counted=_count(done),
                remaining=_count(max(required - done, 0)),
                met=met,
            )
        )
        if not met:
            missing.append(
                "an approved patient-safety activity (patient-safety credits approved by "
                f"member services or imported) completed by {_date(milestone.deadline)}"
            )
    else:
        required_credits = requirement_set.patient_safety_required
        counted = facts.patient_safety
        pending = min(facts.patient_safety_pending, counted)
        remaining = max(required_credits - counted, ZERO_CREDITS)
        results.append(
            RequirementResult(
                code=CertificationRequirementCode.PATIENT_SAFETY,
                label=CertificationRequirementCode.PATIENT_SAFETY.label,
                required=quantize_credits(required_credits),
                earned=counted,
                counted=counted,
                remaining=remaining,
                met=counted >= required_credits,
                pending=pending,
            )
        )
        if remaining:
            missing.append(
                f"{plural(remaining, 'more patient-safety credit{s}')} by "
                f"{_date(milestone.deadline)}"
            )
        if pending:
            verb = "is" if pending == 1 else "are"
            notes.append(
                f"{plural(pending, 'patient-safety credit{s}')} {verb} pending staff review "
                "and count provisionally."
            )
        if milestone.asks_tracer_procedures:
            result, tracer_missing, tracer_notes = _tracer_procedures(milestone, tracer_procedures)
            results.append(result)
            missing.extend(tracer_missing)
            notes.extend(tracer_notes)
    compliant = all(r.met for r in results)
    if compliant:
        status = MilestoneStatus.MET
    elif milestone.deadline < as_of:
        status = MilestoneStatus.MISSED
    elif milestone.window.start > as_of:
        status = MilestoneStatus.UPCOMING
    else:
        status = MilestoneStatus.IN_PROGRESS
    return MilestoneResult(milestone, status, tuple(results), tuple(missing), tuple(notes))


def evaluate_certification(
    *,
    certification_year: int,
    as_of: date,
    facts: Mapping[Window, BoardWindowFacts],
    tracer_procedures: Sequence[TracerProcedureRecord] = (),
    special_circumstances: bool = False,
    requirement_set: CertificationRequirementSet = ABPS,
) -> CertificationCompliance:
    """Every deadline of the certification cycle holding ``as_of`` (the rules, "ABPS
    Continuous Certification").

    ``facts`` holds the aggregates of each milestone window (from
    :func:`certification_milestones`); a window without facts had no entries."""
    milestones = certification_milestones(certification_year, as_of, requirement_set)
    results = tuple(
        evaluate_milestone(
            milestone,
            facts.get(milestone.window, BoardWindowFacts()),
            tracer_procedures,
            as_of=as_of,
            special_circumstances=special_circumstances,
            requirement_set=requirement_set,
        )
        for milestone in milestones
    )
    first_year = certification_cycle_first_year(certification_year, as_of, requirement_set)
    return CertificationCompliance(
        requirement_set=requirement_set,
        certification_year=certification_year,
        special_circumstances=special_circumstances,
        cycle_first_year=first_year,
        year_of_cycle=min(max(as_of.year - first_year + 1, 1), requirement_set.cycle_years),
        milestones=results,
        next=next(r for r in results if r.milestone.deadline >= as_of),
    )
