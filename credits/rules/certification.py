"""ABPS Continuous Certification as data: the requirement set, its deadlines ("milestones")
and what the caller hands in for each (``docs/rules.md`` §6). The verdicts are in
:mod:`credits.rules.certification_evaluation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from credits.rules.amounts import ZERO_CREDITS, non_negative_credits
from credits.rules.cycles import Window
from credits.rules.enums import MilestoneStatus
from credits.rules.requirements import (
    REQUIREMENT_SETS,
    RequirementResult,
    Requirements,
    RequirementSet,
)
from members.cycles import add_years


@dataclass(frozen=True)
class CertificationRequirementSet:
    """The ABPS Continuous Certification requirements, as data (docs/rules.md §6).

    Unlike the societies' 3-year cycles, the board judges a diplomate at fixed deadlines of a
    10-year certification cycle: the ``deadline`` (month, day) of the ``milestone_years``.
    """

    code: str
    name: str
    cycle_years: int
    milestone_years: tuple[int, ...]
    tracer_procedure_years: tuple[int, ...]
    special_circumstances_years: tuple[int, ...]
    window_years: int
    deadline: tuple[int, int]
    patient_safety_required: Decimal
    special_circumstances_activities_required: int
    source: str

    @property
    def society(self) -> str:
        return self.code.upper()


ABPS = CertificationRequirementSet(
    code="abps",
    name="ABPS Continuous Certification",
    # ABPS Continuous Certification: "Years 3 and 6 of the 10-year certification cycle".
    cycle_years=10,
    # ABPS Continuous Certification: "20 CME credits in patient safety activities are required
    # by the Board every three years throughout the certification cycle". **Decision:** the
    # three-year windows end at the deadlines of years 3, 6 and 9; credits dated between the
    # year-9 deadline and the next cycle's first window (most of year 10, the renewal year)
    # count toward no window, and the ASPS per-topic caps do not apply to the board's 20.
    milestone_years=(3, 6, 9),
    # ABPS Continuous Certification: "One approved educational activity is required with each
    # tracer procedure ... before activities are required in years 3 and 6".
    tracer_procedure_years=(3, 6),
    # ABPS Continuous Certification: "the diplomate must complete an approved patient safety
    # activity in Years 3, 6, and 9 of the certification cycle".
    special_circumstances_years=(3, 6, 9),
    # ABPS Continuous Certification: "completed within the three years prior to the December
    # 1st deadline".
    window_years=3,
    deadline=(12, 1),
    patient_safety_required=Decimal(20),
    special_circumstances_activities_required=1,
    source=(
        'ABPS Continuous Certification: "20 CME credits in patient safety '
        'activities are required by the Board every three years"; "One approved educational '
        "activity is required with each tracer procedure ... completed within the three years "
        'prior to the December 1st deadline" of years 3 and 6; Special Circumstances: "an '
        'approved patient safety activity in Years 3, 6, and 9".'
    ),
)

# Every requirement set a member can be held to, by code (the API's ``?requirement_set=``).
# ``REQUIREMENT_SETS`` above holds the societies' 3-year sets only.
ALL_REQUIREMENT_SETS: Mapping[str, RequirementSet | CertificationRequirementSet] = MappingProxyType(
    {**REQUIREMENT_SETS, ABPS.code: ABPS}
)


@dataclass(frozen=True)
class Milestone:
    """One deadline of a certification cycle: "year 3" of the cycle whose year 1 is
    ``cycle_first_year``, and the window of the three years before the deadline."""

    cycle_first_year: int
    year: int
    deadline: date
    window: Window
    asks_tracer_procedures: bool

    @property
    def label(self) -> str:
        return f"Year {self.year} ({self.deadline.year})"


def _milestone(
    requirement_set: CertificationRequirementSet, first_year: int, year: int
) -> Milestone:
    month, day = requirement_set.deadline
    deadline = date(first_year + year - 1, month, day)
    window = Window(
        add_years(deadline, -requirement_set.window_years) + timedelta(days=1), deadline
    )
    return Milestone(
        cycle_first_year=first_year,
        year=year,
        deadline=deadline,
        window=window,
        asks_tracer_procedures=year in requirement_set.tracer_procedure_years,
    )


def certification_cycle_first_year(
    certification_year: int, as_of: date, requirement_set: CertificationRequirementSet = ABPS
) -> int:
    """Year 1 of the certification cycle holding ``as_of``. **Decision:** year 1 is the
    certification year itself, and cycles follow on every 10 years (a diplomate who keeps up
    Continuous Certification starts a new cycle); before certification, the first cycle."""
    cycles = max((as_of.year - certification_year) // requirement_set.cycle_years, 0)
    return certification_year + cycles * requirement_set.cycle_years


def certification_milestones(
    certification_year: int, as_of: date, requirement_set: CertificationRequirementSet = ABPS
) -> tuple[Milestone, ...]:
    """The deadlines of the cycle holding ``as_of``, followed by the next cycle's first one
    when every deadline of this cycle is past (so that the next deadline is always there)."""
    first_year = certification_cycle_first_year(certification_year, as_of, requirement_set)
    milestones = [
        _milestone(requirement_set, first_year, y) for y in requirement_set.milestone_years
    ]
    if milestones[-1].deadline < as_of:
        next_first = first_year + requirement_set.cycle_years
        milestones.append(
            _milestone(requirement_set, next_first, requirement_set.milestone_years[0])
        )
    return tuple(milestones)


def next_milestone(
    certification_year: int, as_of: date, requirement_set: CertificationRequirementSet = ABPS
) -> Milestone:
    """The first deadline on or after ``as_of``."""
    return next(
        m
        for m in certification_milestones(certification_year, as_of, requirement_set)
        if m.deadline >= as_of
    )


def previous_milestone(
    milestone: Milestone, requirement_set: CertificationRequirementSet = ABPS
) -> Milestone:
    """The deadline before ``milestone`` (year 9 of the previous cycle before a year 3)."""
    years = requirement_set.milestone_years
    index = years.index(milestone.year)
    if index > 0:
        return _milestone(requirement_set, milestone.cycle_first_year, years[index - 1])
    return _milestone(
        requirement_set, milestone.cycle_first_year - requirement_set.cycle_years, years[-1]
    )


@dataclass(frozen=True)
class BoardWindowFacts:
    """What one aggregate query says about a member's entries in one milestone window.

    ``patient_safety``: patient-safety credits that count (pending included, rejected not:
    docs/rules.md §4); ``patient_safety_pending``: the pending part; ``approved_patient_safety_
    activities``: entries whose patient-safety credits were approved by staff or arrived by
    import (**Decision:** what "an approved patient safety activity" means for Special
    Circumstances; a claim still pending review does not count yet)."""

    patient_safety: Decimal = ZERO_CREDITS
    patient_safety_pending: Decimal = ZERO_CREDITS
    approved_patient_safety_activities: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "patient_safety", non_negative_credits(self.patient_safety, "patient_safety")
        )
        object.__setattr__(
            self,
            "patient_safety_pending",
            non_negative_credits(self.patient_safety_pending, "patient_safety_pending"),
        )
        if self.approved_patient_safety_activities < 0:
            raise ValueError("approved_patient_safety_activities cannot be negative")


@dataclass(frozen=True)
class TracerProcedureRecord:
    """A tracer procedure the member completed, and the approved educational activity they
    linked to it (``activity``: its name; ``activity_aligned_with``: the procedure the board
    aligned that activity with; ``activity_key``: what identifies one completion of it)."""

    procedure: str
    completed_on: date
    activity: str | None = None
    activity_aligned_with: str | None = None
    activity_completed_on: date | None = None
    activity_key: object = None


@dataclass(frozen=True)
class MilestoneResult(Requirements):
    milestone: Milestone
    status: MilestoneStatus
    requirements: tuple[RequirementResult, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CertificationCompliance:
    """Where a diplomate stands: every deadline of the cycle, and the next one."""

    requirement_set: CertificationRequirementSet
    certification_year: int
    special_circumstances: bool
    cycle_first_year: int
    year_of_cycle: int
    milestones: tuple[MilestoneResult, ...]
    next: MilestoneResult

    @property
    def cycle_last_year(self) -> int:
        return self.cycle_first_year + self.requirement_set.cycle_years - 1

    @property
    def missed(self) -> tuple[MilestoneResult, ...]:
        return tuple(m for m in self.milestones if m.status == MilestoneStatus.MISSED)

    @property
    def on_track(self) -> bool:
        """No deadline missed, and the next one met already."""
        return not self.missed and self.next.compliant
