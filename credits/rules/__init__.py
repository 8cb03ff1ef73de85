"""The CME compliance rules as pure Python: Totals in, Compliance out.

Every rule and the decisions taken where its source is silent are in ``docs/rules.md``; the
sources are the ASPS CME requirements, ASAPS About CME, ABPS Continuous Certification and the
ASPS member portal's CME report. No Django, no clock (callers pass ``as_of``), and credits are
always ``Decimal`` with two places (:func:`quantize_credits`).

Callers use the package as one module (``from credits import rules``; ``rules.evaluate``);
the parts:

- :mod:`.enums`: categories, patient-safety topics, activity types, requirement codes;
- :mod:`.amounts`: credits as numbers, the caps;
- :mod:`.totals`: one member's credits in one window;
- :mod:`.requirements`: the societies' requirement sets and :func:`evaluate`;
- :mod:`.verdicts`: a verdict in words ("Met (pending review)", "Not met"), for every page;
- :mod:`.cycles`: cycle windows (dates shared with ``members`` via :mod:`members.cycles`);
- :mod:`.entries`: helpers for checking a single entry;
- :mod:`.shortfalls`: the bodies still short of patient-safety credits, and the topics that
  still count toward them (the resources offered on the dashboard and the report);
- :mod:`.designations`: what a catalogue activity was designated for, and the claims it allows;
- :mod:`.pace`: compliant, on track, at risk or short, as of a day;
- :mod:`.content_areas`: credits added up by content area;
- :mod:`.certification` and :mod:`.certification_evaluation`: ABPS Continuous Certification.
"""

from credits.rules.amounts import (
    CATEGORY_2_CAP_TOWARD_TOTAL,
    PATIENT_SAFETY_CAPS,
    TWO_PLACES,
    ZERO_CREDITS,
    format_credits,
    is_quarter_step,
    quantize_credits,
)
from credits.rules.certification import (
    ABPS,
    ALL_REQUIREMENT_SETS,
    BoardWindowFacts,
    CertificationCompliance,
    CertificationRequirementSet,
    Milestone,
    MilestoneResult,
    TracerProcedureRecord,
    certification_cycle_first_year,
    certification_milestones,
    next_milestone,
    previous_milestone,
)
from credits.rules.certification_evaluation import evaluate_certification, evaluate_milestone
from credits.rules.content_areas import (
    AREA_CODES,
    NOT_RECORDED,
    AreaCredits,
    ContentAreaCredits,
    areas_of,
    credits_by_content_area,
)
from credits.rules.cycles import (
    CYCLE_YEARS,
    Window,
    add_years,
    current_cycle,
    cycle_containing,
    previous_cycle,
)
from credits.rules.designations import (
    Designation,
    approval_reason,
    credits_problem,
    patient_safety_within_designation,
)
from credits.rules.entries import (
    RESIDENCY_CREDITS_PER_FULL_YEAR,
    normalize_title,
    residency_credit_limit,
)
from credits.rules.enums import (
    ActivityType,
    Category,
    CertificationRequirementCode,
    ContentArea,
    MilestoneStatus,
    PatientSafetyKind,
    RequirementCode,
    choice_members,
    choices,
)
from credits.rules.pace import IN_COMPLIANCE, Pace, behind_from, month_end, month_ends
from credits.rules.requirements import (
    ASAPS,
    ASPS,
    REQUIREMENT_SETS,
    Compliance,
    RequirementResult,
    RequirementSet,
    evaluate,
)
from credits.rules.shortfalls import (
    Shortfall,
    board_shortfall,
    left_out_sentence,
    patient_safety_room,
    society_shortfall,
    topic_note,
    topics_used_up,
)
from credits.rules.totals import Totals
from credits.rules.verdicts import Verdict, pending_sentence, verdict

__all__ = [
    "ABPS",
    "ALL_REQUIREMENT_SETS",
    "AREA_CODES",
    "ASAPS",
    "ASPS",
    "CATEGORY_2_CAP_TOWARD_TOTAL",
    "CYCLE_YEARS",
    "IN_COMPLIANCE",
    "NOT_RECORDED",
    "PATIENT_SAFETY_CAPS",
    "REQUIREMENT_SETS",
    "RESIDENCY_CREDITS_PER_FULL_YEAR",
    "TWO_PLACES",
    "ZERO_CREDITS",
    "ActivityType",
    "AreaCredits",
    "BoardWindowFacts",
    "Category",
    "CertificationCompliance",
    "CertificationRequirementCode",
    "CertificationRequirementSet",
    "Compliance",
    "ContentArea",
    "ContentAreaCredits",
    "Designation",
    "Milestone",
    "MilestoneResult",
    "MilestoneStatus",
    "Pace",
    "PatientSafetyKind",
    "RequirementCode",
    "RequirementResult",
    "RequirementSet",
    "Shortfall",
    "Totals",
    "TracerProcedureRecord",
    "Verdict",
    "Window",
    "add_years",
    "approval_reason",
    "areas_of",
    "behind_from",
    "board_shortfall",
    "certification_cycle_first_year",
    "certification_milestones",
    "choice_members",
    "choices",
    "credits_by_content_area",
    "credits_problem",
    "current_cycle",
    "cycle_containing",
    "evaluate",
    "evaluate_certification",
    "evaluate_milestone",
    "format_credits",
    "is_quarter_step",
    "left_out_sentence",
    "month_end",
    "month_ends",
    "next_milestone",
    "normalize_title",
    "patient_safety_room",
    "patient_safety_within_designation",
    "pending_sentence",
    "previous_cycle",
    "previous_milestone",
    "quantize_credits",
    "residency_credit_limit",
    "society_shortfall",
    "topic_note",
    "topics_used_up",
    "verdict",
]
