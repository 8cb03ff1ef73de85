"""The CME compliance rules as pure Python: Totals in, Compliance out.

Sources: ``shared/spec/rules.md`` sections 1-3 and 6, which cite the seed documents
(seed 002: ASPS CME requirements, seed 001: ASAPS requirements, seed 004: the ASPS member
portal, seed 003: ABPS Continuous Certification). No Django, no clock (callers pass
``as_of``), and credits are always ``Decimal`` with two places (:func:`quantize_credits`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum, IntEnum, StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

TWO_PLACES = Decimal("0.01")
ZERO_CREDITS = Decimal("0.00")
CYCLE_YEARS = 3


# --- Enumerations (Django builds its choices from these) -------------------------------------


class _LabelledStrEnum(StrEnum):
    """A StrEnum whose members are declared as ``NAME = "value", "Human label"``."""

    label: str

    def __new__(cls, value: str, label: str) -> _LabelledStrEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class Category(IntEnum):
    """Seed 002: "AMA PRA Category 1 Credit™" and "Category 2: All Other Categories of CME"."""

    label: str

    def __new__(cls, value: int, label: str) -> Category:
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    CATEGORY_1 = 1, "AMA PRA Category 1 Credit™"
    CATEGORY_2 = 2, "AMA PRA Category 2 Credit™"


class PatientSafetyKind(_LabelledStrEnum):
    """Seed 002 "A broad view of topics applicable as Patient Safety CME"; rules.md §1."""

    GENERAL = (
        "general",
        # Seed 002: prophylaxis (ACLS, complication management), risk management, patient
        # selection, physical plant safety and anesthesia care.
        "General (ACLS, risk management, patient selection, facility safety, anesthesia)",
    )
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance (e.g. TOPS)"
    DEVICE_TRAINING = "device_training", "Device training"
    RESEARCH = "research", "Research on a patient-safety topic"
    ACCREDITATION_WORKSHOP = "accreditation_workshop", "Accreditation organizations' workshops"


class ActivityType(_LabelledStrEnum):
    """Activity types of the submission form (seed 004) and AMA direct credit (seed 002)."""

    LIVE_ACTIVITY = "live_activity", "Live activity (meeting, course, workshop)"
    ENDURING_MATERIAL = "enduring_material", "Enduring material (online course, recording)"
    JOURNAL_ARTICLE = "journal_article", "Journal CME article"
    IN_SERVICE_EXAM = "in_service_exam", "In-service exam"
    RSS = "rss", "Regularly scheduled series (grand rounds, M&M)"
    TEACHING = "teaching", "Teaching in live CME activities"
    POSTER = "poster", "Poster presentation"
    PUBLICATION = "publication", "Published article"
    ADVANCED_DEGREE = "advanced_degree", "Medically related advanced degree"
    BOARD_CERTIFICATION = "board_certification", "ABMS/ABPS certification or recertification"
    RESIDENCY = "residency", "Residency or fellowship (ACGME-accredited)"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment activity"
    OTHER = "other", "Other"


class RequirementCode(_LabelledStrEnum):
    """The four requirements of rules.md §1, labelled as on the ASPS dashboard (seed 004)."""

    TOTAL = "total", "Total (Cat. 1 + Cat. 2)"
    CATEGORY_1 = "category_1", "AMA PRA Category 1"
    PLASTIC_SURGERY = "plastic_surgery", "Plastic surgery"
    PATIENT_SAFETY = "patient_safety", "Patient safety"


def choices(enum_cls: type[Enum]) -> list[tuple[Any, str]]:
    """``[(value, label), ...]``, the shape of a Django field's ``choices=``."""
    return [(member.value, member.label) for member in enum_cls]  # type: ignore[attr-defined]


def choice_members(enum_cls: type[Enum]) -> list[tuple[str, tuple[Any, str]]]:
    """``[(NAME, (value, label)), ...]``, for ``models.TextChoices("Name", ...)``."""
    return [(member.name, (member.value, member.label)) for member in enum_cls]  # type: ignore[attr-defined]


# --- Credits as numbers ----------------------------------------------------------------------

CATEGORY_2_CAP_TOWARD_TOTAL = Decimal(90)
"""Seed 002: "Category 2: All Other Categories of CME - 90 Credit Limit" (rules.md §1)."""

_FIVE = Decimal(5)
PATIENT_SAFETY_CAPS: Mapping[PatientSafetyKind, Decimal | None] = MappingProxyType(
    {
        # Seed 002 lists each of these with "(maximum 5 hours toward patient safety during
        # the three year CME cycle)"; the general topics carry no maximum (rules.md §1).
        PatientSafetyKind.GENERAL: None,
        PatientSafetyKind.QUALITY_ASSURANCE: _FIVE,
        PatientSafetyKind.DEVICE_TRAINING: _FIVE,
        PatientSafetyKind.RESEARCH: _FIVE,
        PatientSafetyKind.ACCREDITATION_WORKSHOP: _FIVE,
    }
)


def quantize_credits(value: object) -> Decimal:
    """The one way to turn a number into credits: a finite ``Decimal`` with two places,
    rounding half up. Takes an int, a str ("7.5"), a float or a Decimal; anything else, NaN
    and infinity raise ``ValueError``. Floats go through ``str`` so that 0.1 becomes 0.10,
    not 0.1000000000000000055...
    """
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
        if number.is_finite():
            # "+ 0" turns -0.00 into 0.00; absurdly large numbers raise InvalidOperation.
            return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP) + 0
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValueError(f"Not a number of credits: {value!r}") from error
    raise ValueError(f"Not a number of credits: {value!r}")


def is_quarter_step(value: Decimal) -> bool:
    """rules.md §1: "Credits are decimals in steps of 0.25" (seed 004 shows 1.25, 7.5, 126.5)."""
    if not value.is_finite():
        return False
    quarters = value * 4  # ``% 1`` would raise for numbers beyond the decimal precision
    return quarters == quarters.to_integral_value()


def format_credits(value: Decimal | int | str) -> str:
    """Credits as people write them: ``104``, ``2.5``, ``7.25`` (no trailing zeros)."""
    number = quantize_credits(value).normalize()
    return f"{number:f}" if number else "0"


def _plural(value: Decimal, noun: str) -> str:
    """``"1 more credit"`` but ``"2.5 more credits"``; ``noun`` holds ``{s}``."""
    return f"{format_credits(value)} {noun.format(s='' if value == 1 else 's')}"


# --- Totals: one member, one window ----------------------------------------------------------

# Totals field -> key of the aggregate row (DESIGN.md: one query feeds the rules).
_ROW_KEYS = {
    "category_1": "category_1",
    "category_2": "category_2",
    "plastic_surgery": "plastic_surgery",
    "patient_safety_pending": "ps_pending",
    "patient_safety_category_1": "ps_category_1",
    "patient_safety_category_2": "ps_category_2",
}


@dataclass(frozen=True)
class Totals:
    """A member's credits in one window, as one aggregate query returns them (DESIGN.md).

    ``patient_safety_by_kind`` holds the patient-safety credits that count: approved, not
    needing review, *and* pending (rules.md §4: "Pending PS credits count provisionally");
    rejected claims are left out by the caller. ``patient_safety_pending`` is the pending
    part of them; ``patient_safety_category_1``/``_2`` split them by category (for the
    12/8 advice). Values are quantized on creation; negative values are refused.
    """

    category_1: Decimal = ZERO_CREDITS
    category_2: Decimal = ZERO_CREDITS
    plastic_surgery: Decimal = ZERO_CREDITS
    patient_safety_by_kind: Mapping[PatientSafetyKind, Decimal] = field(default_factory=dict)
    patient_safety_pending: Decimal = ZERO_CREDITS
    patient_safety_category_1: Decimal = ZERO_CREDITS
    patient_safety_category_2: Decimal = ZERO_CREDITS

    ZERO: ClassVar[Totals]

    def __post_init__(self) -> None:
        for name in _ROW_KEYS:
            object.__setattr__(self, name, _credits(getattr(self, name), name))
        given = {
            PatientSafetyKind(kind): amount for kind, amount in self.patient_safety_by_kind.items()
        }
        by_kind = {kind: _credits(given.get(kind, 0), kind.value) for kind in PatientSafetyKind}
        object.__setattr__(self, "patient_safety_by_kind", MappingProxyType(by_kind))

    @property
    def patient_safety(self) -> Decimal:
        """All patient-safety credits that count, before the per-kind caps."""
        return sum(self.patient_safety_by_kind.values(), ZERO_CREDITS)

    @classmethod
    def zero(cls) -> Totals:
        return cls()

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> Totals:
        """From an aggregate row keyed ``category_1``, ..., ``ps_general``, ..., ``ps_pending``,
        ``ps_category_1``, ``ps_category_2``. ``None`` (SUM over no rows) means 0; a missing
        key is a bug in the query and raises ``KeyError``; other keys are ignored."""

        def amount(key: str) -> Decimal:
            value = row[key]
            return ZERO_CREDITS if value is None else quantize_credits(value)

        return cls(
            **{name: amount(key) for name, key in _ROW_KEYS.items()},
            patient_safety_by_kind={kind: amount(f"ps_{kind}") for kind in PatientSafetyKind},
        )

    def as_row(self) -> dict[str, Decimal]:
        """The inverse of :meth:`from_row`."""
        row = {key: getattr(self, name) for name, key in _ROW_KEYS.items()}
        return row | {f"ps_{kind}": amount for kind, amount in self.patient_safety_by_kind.items()}

    def __add__(self, other: Totals) -> Totals:
        """Two windows together, e.g. a failed cycle plus its make-up credits (rules.md §5)."""
        if not isinstance(other, Totals):
            return NotImplemented
        mine, theirs = self.as_row(), other.as_row()
        return Totals.from_row({key: mine[key] + theirs[key] for key in mine})

    def without_patient_safety(
        self, kind: PatientSafetyKind, credits: Decimal, *, category: int, pending: bool
    ) -> Totals:
        """These totals had one patient-safety claim not counted (what a rejection would do)."""
        row = self.as_row()
        row[f"ps_{kind}"] -= credits
        row[f"ps_category_{category}"] -= credits
        if pending:
            row["ps_pending"] -= credits
        return Totals.from_row(row)


def _credits(value: object, name: str) -> Decimal:
    amount = quantize_credits(value)
    if amount < 0:
        raise ValueError(f"{name} cannot be negative: {amount}")
    return amount


Totals.ZERO = Totals()


# --- Requirement sets as data ----------------------------------------------------------------


@dataclass(frozen=True)
class RequirementSet:
    """One society's cycle requirement, as data (rules.md §1).

    ``evaluate()`` measures each code in ``requirements`` with the function registered for
    it in ``_MEASURES``. The ABPS Continuous Certification set (rules.md §6, seed 003: a
    10-year cycle, "20 CME credits in patient safety activities ... every three years",
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
        'Seed 002 (ASPS CME Requirements): "150 credits of CME during a consecutive three-year '
        'period. Of these 150 credits no fewer than 60 must be AMA PRA Category 1 Credits™ ..."; '
        "rules.md §1."
    ),
)
# Seed 001 states the ASAPS requirement in the same words and numbers as seed 002.
ASAPS = dataclasses.replace(
    ASPS,
    code="asaps",
    name="ASAPS membership",
    source=(
        'Seed 001 (ASAPS "About CME"): "All ASAPS Active Members must earn 150 credits of CME '
        'during a consecutive three-year period", with the same 60 / 50 / 20 split and caps.'
    ),
)
REQUIREMENT_SETS: dict[str, RequirementSet] = {ASPS.code: ASPS, ASAPS.code: ASAPS}


# --- Evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementResult:
    """One row of the dashboard (rules.md §1): earned (raw), counted (after caps), required,
    remaining, met. ``counted`` is not clipped at ``required``; ``pending`` is the provisional
    part of ``counted`` (patient safety only)."""

    code: RequirementCode
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


_MISSING_NOUNS = {
    RequirementCode.TOTAL: "more credit{s} (Category 1 or 2)",
    RequirementCode.CATEGORY_1: "more AMA PRA Category 1 credit{s}",
    RequirementCode.PLASTIC_SURGERY: "more plastic-surgery credit{s}",
    RequirementCode.PATIENT_SAFETY: "more patient-safety credit{s}",
}


@dataclass(frozen=True)
class Compliance:
    """How a member's Totals measure up against one requirement set."""

    requirement_set: RequirementSet
    requirements: tuple[RequirementResult, ...]
    notes: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    @property
    def compliant(self) -> bool:
        return all(result.met for result in self.requirements)

    def requirement(self, code: RequirementCode | str) -> RequirementResult:
        for result in self.requirements:
            if result.code == code:
                return result
        raise KeyError(code)

    def missing(self) -> list[str]:
        """E.g. ``["23.5 more patient-safety credits"]``; empty when compliant."""
        return [
            _plural(result.remaining, _MISSING_NOUNS.get(result.code, "more credit{s}"))
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
    """Seed 002: "150 credits"; "Category 2 ... 90 Credit Limit"."""
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
    """Seed 002: "AMA PRA Category 1 Credit™: No Credit Limit (minimum 60 credits)"."""
    return _Measured(rules.category_1_required, totals.category_1, totals.category_1)


def _measure_plastic_surgery(totals: Totals, rules: RequirementSet) -> _Measured:
    """Seed 002: "50 of the 150 credits necessary must be earned in plastic surgery activities"."""
    return _Measured(rules.plastic_surgery_required, totals.plastic_surgery, totals.plastic_surgery)


def _measure_patient_safety(totals: Totals, rules: RequirementSet) -> _Measured:
    """Seed 002: "20 of the 150 credits must be earned in patient safety related topics", with
    "maximum 5 hours toward patient safety during the three year CME cycle" for quality
    assurance, device training, research and accreditation workshops (rules.md §1)."""
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
            f"{_plural(pending, 'patient-safety credit{s}')} {verb} pending staff review "
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
    """rules.md §1 "Advice, not a rule" (seed 002: "Of the 20 required credits for patient
    safety CME, ASPS recommends that 8 be AMA PRA Category 2 Credits™ and the remaining 12 be
    AMA PRA Category 1 Credits™"). The mix differs when either category is short of its
    recommended share; more of both than recommended does not differ from the advice."""
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
    """Measure Totals against a requirement set (rules.md §1), explaining every cap applied."""
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


# --- Cycles (rules.md §2) --------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier). **Decision:** 29 February falls on 1 March
    in a year without it, so a cycle starting 2020-02-29 ends 2023-02-28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _cycle(cycle_start: date, index: int, years: int) -> Window:
    """The ``index``-th cycle from ``cycle_start`` (negative: before it)."""
    start = add_years(cycle_start, index * years)
    end = add_years(cycle_start, (index + 1) * years) - timedelta(days=1)
    return Window(start, end, cycle_start=cycle_start, years=years)


@dataclass(frozen=True)
class Window:
    """A span of days, both ends included. An entry counts in the window that contains its
    **end date** (rules.md §1 Decision). Windows made by :func:`cycle_containing` remember
    their ``cycle_start`` so that :meth:`previous` is exact; equality looks at the days only."""

    start: date
    end: date
    cycle_start: date | None = field(default=None, compare=False, repr=False)
    years: int = field(default=CYCLE_YEARS, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A window cannot end ({self.end}) before it starts ({self.start}).")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, as_of: date) -> int:
        """Days still to come in the window, ``as_of`` included (1 on the last day, 0 after)."""
        return max((self.end - max(as_of, self.start)).days + 1, 0)

    @property
    def label(self) -> str:
        """As in seed 004's report: "CME Report for Cycle Ending in 2022"."""
        return f"Cycle ending in {self.end.year}"

    def previous(self) -> Window:
        """The cycle just before this one (before the first cycle too, extrapolated back)."""
        anchor = self.cycle_start or self.start
        index = _index_of(anchor, self.start, self.years)
        return _cycle(anchor, index - 1, self.years)


def _index_of(cycle_start: date, day: date, years: int) -> int:
    index = (day.year - cycle_start.year) // years
    while add_years(cycle_start, index * years) > day:
        index -= 1
    while add_years(cycle_start, (index + 1) * years) <= day:
        index += 1
    return index


def cycle_containing(cycle_start: date, day: date, years: int = CYCLE_YEARS) -> Window:
    """rules.md §2 (seed 004): "cycles are consecutive 3-year windows" from ``cycle_start``;
    2020-01-01 gives 2020-01-01..2022-12-31, then 2023-01-01..2025-12-31.

    A day before ``cycle_start`` gets the *first* cycle: a member has no cycle before their
    start, and their first cycle is the one they are working towards.
    """
    return _cycle(cycle_start, max(_index_of(cycle_start, day, years), 0), years)


def current_cycle(cycle_start: date, as_of: date) -> Window:
    return cycle_containing(cycle_start, as_of)


def previous_cycle(cycle_start: date, as_of: date) -> Window:
    return current_cycle(cycle_start, as_of).previous()


def default_cycle_start(joined_on: date) -> date:
    """rules.md §2 Decision: "default start is 1 January of the year after the member joined"."""
    return date(joined_on.year + 1, 1, 1)


# --- Validation helpers for a single entry (rules.md §3) -------------------------------------

RESIDENCY_CREDITS_PER_FULL_YEAR = Decimal(50)


def residency_credit_limit(start: date, end: date) -> Decimal:
    """Seed 002: "50 Category 1 credits may be claimed for each full year of ... internship,
    residency or fellowship training". A full year runs from a date to the day before its
    anniversary, so 2019-07-01..2020-06-30 is one full year and 11 months are none."""
    if end < start:
        raise ValueError(f"The residency ends ({end}) before it starts ({start}).")
    full_years = end.year - start.year
    while full_years > 0 and add_years(start, full_years) - timedelta(days=1) > end:
        full_years -= 1
    return quantize_credits(RESIDENCY_CREDITS_PER_FULL_YEAR * full_years)


def normalize_title(title: str) -> str:
    """rules.md §3: duplicates match on the title "case/space-insensitive"."""
    return " ".join(title.casefold().split())


AUTO_UPLOADED_PROVIDERS: Mapping[str, date | None] = MappingProxyType(
    {
        # Seed 004: "ASPS will automatically upload programs accredited by ASPS, CSPS, NWSPPS
        # and SESPPRS" (None: still uploaded) and "will no longer automatically upload
        # programs accredited by ASAPS as of December 1, 2018" (last day still uploaded).
        "ASPS": None,
        "CSPS": None,
        "NWSPPS": None,
        "SESPPRS": None,
        "ASAPS": date(2018, 11, 30),
    }
)


def auto_upload_applies(abbreviation: str, activity_end: date) -> bool:
    """Whether the provider's activity arrives automatically, so the member must not
    self-report it (rules.md §3, seed 004)."""
    key = abbreviation.strip().upper()
    if key not in AUTO_UPLOADED_PROVIDERS:
        return False
    until = AUTO_UPLOADED_PROVIDERS[key]
    return until is None or activity_end <= until
