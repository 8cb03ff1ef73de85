"""The societies' cycle requirements as data, and :func:`evaluate`: Totals in, Compliance
out (``docs/rules.md`` §1)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from credits.rules.amounts import (
    CATEGORY_2_CAP_TOWARD_TOTAL,
    PATIENT_SAFETY_CAPS,
    ZERO_CREDITS,
    format_credits,
    plural,
    quantize_credits,
)
from credits.rules.cycles import CYCLE_YEARS
from credits.rules.enums import (
    Category,
    CertificationRequirementCode,
    PatientSafetyKind,
    RequirementCode,
)
from credits.rules.totals import Totals


@dataclass(frozen=True)
class RequirementSet:
    """One society's cycle requirement, as data (docs/rules.md §1).

    ``evaluate()`` measures each code in ``requirements`` with the function registered for
    it in ``_MEASURES``. The ABPS Continuous Certification set (docs/rules.md §6: a 10-year
    cycle, "20 CME credits in patient safety activities ... every three years",
    tracer procedures) can be added as another instance: its own ``requirements`` tuple, new
    codes (e.g. tracer procedures) with a measure function each, and Totals for the
    three-year patient-safety windows supplied by the caller. ``evaluate()`` stays as it is.
    """

    code: str
    name: str
    cycle_years: int
    total_required: Decimal
    category_1_required: Decimal
    plastic_surgery_required: Decimal
    patient_safety_required: Decimal
    category_2_cap: Decimal
    patient_safety_caps: Mapping[PatientSafetyKind, Decimal | None]
    recommended_patient_safety_mix: Mapping[Category, Decimal]
    source: str
    requirements: tuple[RequirementCode, ...] = tuple(RequirementCode)

    @property
    def society(self) -> str:
        return self.code.upper()


ASPS = RequirementSet(
    code="asps",
    name="ASPS membership",
    cycle_years=CYCLE_YEARS,
    total_required=Decimal(150),
    category_1_required=Decimal(60),
    plastic_surgery_required=Decimal(50),
    patient_safety_required=Decimal(20),
    category_2_cap=CATEGORY_2_CAP_TOWARD_TOTAL,
    patient_safety_caps=PATIENT_SAFETY_CAPS,
    recommended_patient_safety_mix=MappingProxyType(
        {Category.CATEGORY_1: Decimal(12), Category.CATEGORY_2: Decimal(8)}
    ),
    source=(
        'The ASPS CME requirements: "150 credits of CME during a consecutive three-year '
        'period. Of these 150 credits no fewer than 60 must be AMA PRA Category 1 Credits™ ...".'
    ),
)
# ASAPS About CME states the requirement in the same words and numbers as the ASPS CME
# requirements.
ASAPS = dataclasses.replace(
    ASPS,
    code="asaps",
    name="ASAPS membership",
    source=(
        'ASAPS About CME: "All ASAPS Active Members must earn 150 credits of CME '
        'during a consecutive three-year period", with the same 60 / 50 / 20 split and caps.'
    ),
)
REQUIREMENT_SETS: dict[str, RequirementSet] = {ASPS.code: ASPS, ASAPS.code: ASAPS}


@dataclass(frozen=True)
class RequirementResult:
    """One row of the dashboard (docs/rules.md §1): earned (raw), counted (after caps), required,
    remaining, met. ``counted`` is not clipped at ``required``; ``pending`` is the provisional
    part of ``counted`` (patient safety only)."""

    code: RequirementCode | CertificationRequirementCode
    label: str
    required: Decimal
    earned: Decimal
    counted: Decimal
    remaining: Decimal
    met: bool
    pending: Decimal = ZERO_CREDITS

    @property
    def percent(self) -> int:
        """Progress for the bar, 0-100, rounded down so that 100 means met."""
        if self.required <= 0:
            return 100
        return min(int(self.counted * 100 / self.required), 100)


MISSING_NOUNS = {
    RequirementCode.TOTAL: "more credit{s} (Category 1 or 2)",
    RequirementCode.CATEGORY_1: "more AMA PRA Category 1 credit{s}",
    RequirementCode.PLASTIC_SURGERY: "more plastic-surgery credit{s}",
    RequirementCode.PATIENT_SAFETY: "more patient-safety credit{s}",
}


class Requirements:
    """What a verdict over ``requirements`` offers: met or not, and one requirement by code."""

    requirements: tuple[RequirementResult, ...]

    @property
    def compliant(self) -> bool:
        return all(result.met for result in self.requirements)

    def requirement(self, code: str) -> RequirementResult:
        for result in self.requirements:
            if result.code == code:
                return result
        raise KeyError(code)


@dataclass(frozen=True)
class Compliance(Requirements):
    """How a member's Totals measure up against one requirement set."""

    requirement_set: RequirementSet
    requirements: tuple[RequirementResult, ...]
    notes: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """E.g. ``["23.5 more patient-safety credits"]``; empty when compliant."""
        return [
            plural(result.remaining, MISSING_NOUNS.get(result.code, "more credit{s}"))
            for result in self.requirements
            if not result.met
        ]


class _Measured(NamedTuple):
    required: Decimal
    earned: Decimal
    counted: Decimal
    notes: tuple[str, ...] = ()
    pending: Decimal = ZERO_CREDITS


def _measure_total(totals: Totals, rules: RequirementSet) -> _Measured:
    """The ASPS CME requirements: "150 credits"; "Category 2 ... 90 Credit Limit"."""
    category_2 = min(totals.category_2, rules.category_2_cap)
    notes: tuple[str, ...] = ()
    if category_2 < totals.category_2:
        notes = (
            f"Category 2: {format_credits(totals.category_2)} earned, "
            f"{format_credits(category_2)} count toward the total.",
        )
    earned = totals.category_1 + totals.category_2
    return _Measured(rules.total_required, earned, totals.category_1 + category_2, notes)


def _measure_category_1(totals: Totals, rules: RequirementSet) -> _Measured:
    """The ASPS CME requirements: "AMA PRA Category 1 Credit™: No Credit Limit (minimum 60
    credits)"."""
    return _Measured(rules.category_1_required, totals.category_1, totals.category_1)


def _measure_plastic_surgery(totals: Totals, rules: RequirementSet) -> _Measured:
    """The ASPS CME requirements: "50 of the 150 credits necessary must be earned in plastic
    surgery activities"."""
    return _Measured(rules.plastic_surgery_required, totals.plastic_surgery, totals.plastic_surgery)


def _measure_patient_safety(totals: Totals, rules: RequirementSet) -> _Measured:
    """The ASPS CME requirements: "20 of the 150 credits must be earned in patient safety
    related topics", with "maximum 5 hours toward patient safety during the three year CME
    cycle" for quality assurance, device training, research and accreditation workshops
    (docs/rules.md §1)."""
    counted = ZERO_CREDITS
    notes: list[str] = []
    for kind, earned in totals.patient_safety_by_kind.items():
        cap = rules.patient_safety_caps.get(kind)
        if cap is not None and earned > cap:
            notes.append(
                f"{kind.label}: {format_credits(earned)} patient-safety credits earned, "
                f"{format_credits(cap)} count (limit {format_credits(cap)} per cycle)."
            )
            earned = cap
        counted += earned
    pending = min(totals.patient_safety_pending, counted)
    if pending:
        verb = "is" if pending == 1 else "are"
        notes.append(
            f"{plural(pending, 'patient-safety credit{s}')} {verb} pending staff review "
            "and count provisionally."
        )
    return _Measured(
        rules.patient_safety_required, totals.patient_safety, counted, tuple(notes), pending
    )


_MEASURES: dict[RequirementCode, Callable[[Totals, RequirementSet], _Measured]] = {
    RequirementCode.TOTAL: _measure_total,
    RequirementCode.CATEGORY_1: _measure_category_1,
    RequirementCode.PLASTIC_SURGERY: _measure_plastic_surgery,
    RequirementCode.PATIENT_SAFETY: _measure_patient_safety,
}


def _patient_safety_mix_hint(totals: Totals, rules: RequirementSet) -> str | None:
    """docs/rules.md §1, "Advice, not a rule" (the ASPS CME requirements: "Of the 20 required
    credits for patient safety CME, ASPS recommends that 8 be AMA PRA Category 2 Credits™ and
    the remaining 12 be AMA PRA Category 1 Credits™"). The mix differs when either category
    is short of its recommended share; more of both than recommended does not differ from
    the advice."""
    mix = rules.recommended_patient_safety_mix
    category_1 = mix.get(Category.CATEGORY_1, ZERO_CREDITS)
    category_2 = mix.get(Category.CATEGORY_2, ZERO_CREDITS)
    if totals.patient_safety_category_1 >= category_1 and (
        totals.patient_safety_category_2 >= category_2
    ):
        return None
    return (
        f"{rules.society} recommends that of the {format_credits(rules.patient_safety_required)} "
        f"patient-safety credits, {format_credits(category_1)} be Category 1 and "
        f"{format_credits(category_2)} be Category 2; yours: "
        f"{format_credits(totals.patient_safety_category_1)} Category 1, "
        f"{format_credits(totals.patient_safety_category_2)} Category 2."
    )


def evaluate(totals: Totals, requirement_set: RequirementSet = ASPS) -> Compliance:
    """Measure Totals against a requirement set (docs/rules.md §1), explaining every cap applied."""
    results: list[RequirementResult] = []
    notes: list[str] = []
    for code in requirement_set.requirements:
        measured = _MEASURES[code](totals, requirement_set)
        results.append(
            RequirementResult(
                code=code,
                label=code.label,
                required=quantize_credits(measured.required),
                earned=measured.earned,
                counted=measured.counted,
                remaining=max(measured.required - measured.counted, ZERO_CREDITS),
                met=measured.counted >= measured.required,
                pending=measured.pending,
            )
        )
        notes.extend(measured.notes)
    hint = None
    if RequirementCode.PATIENT_SAFETY in requirement_set.requirements:
        hint = _patient_safety_mix_hint(totals, requirement_set)
    return Compliance(requirement_set, tuple(results), tuple(notes), (hint,) if hint else ())
