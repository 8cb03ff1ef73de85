"""The CME compliance rules as pure Python: Totals in, Compliance out.

Sources: ``shared/spec/rules.md`` sections 1-3 and 6, which cite the seed documents
(seed 002: ASPS CME requirements, seed 001: ASAPS requirements, seed 004: the ASPS member
portal, seed 003: ABPS Continuous Certification). No Django, no clock (callers pass
``as_of``), and credits are always ``Decimal`` with two places (:func:`quantize_credits`).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Mapping, Sequence
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
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
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

        def amount(key: str) -> object:  # quantized and checked by __post_init__
            value = row[key]
            return ZERO_CREDITS if value is None else value

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


_MISSING_NOUNS = {
    RequirementCode.TOTAL: "more credit{s} (Category 1 or 2)",
    RequirementCode.CATEGORY_1: "more AMA PRA Category 1 credit{s}",
    RequirementCode.PLASTIC_SURGERY: "more plastic-surgery credit{s}",
    RequirementCode.PATIENT_SAFETY: "more patient-safety credit{s}",
}


class _Requirements:
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
class Compliance(_Requirements):
    """How a member's Totals measure up against one requirement set."""

    requirement_set: RequirementSet
    requirements: tuple[RequirementResult, ...]
    notes: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

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
    """rules.md §3: duplicates match on the title "case/space-insensitive".

    Case, spaces and punctuation are all ignored: "SpringMeeting2025", "Spring Meeting 2025"
    and "spring meeting, 2025" are one title. Letters and digits are compared after Unicode
    compatibility folding (a non-breaking space or a full-width digit is no different).
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "".join(character for character in folded if character.isalnum())


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


# --- ABPS Continuous Certification (rules.md §6, seed 003) -----------------------------------


class CertificationRequirementCode(_LabelledStrEnum):
    """What the ABPS asks at each deadline of the certification cycle (seed 003)."""

    PATIENT_SAFETY = "patient_safety", "Patient safety (3 years)"
    TRACER_PROCEDURES = "tracer_procedures", "Tracer procedures with an aligned activity"
    SPECIAL_CIRCUMSTANCES = "special_circumstances", "Approved patient-safety activity"


class MilestoneStatus(_LabelledStrEnum):
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    IN_PROGRESS = "in_progress", "In progress"
    UPCOMING = "upcoming", "Not yet open"


@dataclass(frozen=True)
class CertificationRequirementSet:
    """The ABPS Continuous Certification requirements, as data (rules.md §6, seed 003).

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
    # Seed 003: "Years 3 and 6 of the 10-year certification cycle".
    cycle_years=10,
    # Seed 003: "20 CME credits in patient safety activities are required by the Board every
    # three years throughout the certification cycle". **Decision:** the three-year windows
    # end at the deadlines of years 3, 6 and 9; credits dated between the year-9 deadline and
    # the next cycle's first window (most of year 10, the renewal year) count toward no
    # window, and the ASPS per-topic caps (seed 002) do not apply to the board's 20.
    milestone_years=(3, 6, 9),
    # Seed 003: "One approved educational activity is required with each tracer procedure
    # ... before activities are required in years 3 and 6".
    tracer_procedure_years=(3, 6),
    # Seed 003: "the diplomate must complete an approved patient safety activity in Years 3,
    # 6, and 9 of the certification cycle".
    special_circumstances_years=(3, 6, 9),
    # Seed 003: "completed within the three years prior to the December 1st deadline".
    window_years=3,
    deadline=(12, 1),
    patient_safety_required=Decimal(20),
    special_circumstances_activities_required=1,
    source=(
        'Seed 003 (ABPS Continuous Certification): "20 CME credits in patient safety '
        'activities are required by the Board every three years"; "One approved educational '
        "activity is required with each tracer procedure ... completed within the three years "
        'prior to the December 1st deadline" of years 3 and 6; Special Circumstances: "an '
        'approved patient safety activity in Years 3, 6, and 9"; rules.md §6.'
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
    rules.md §4); ``patient_safety_pending``: the pending part; ``approved_patient_safety_
    activities``: entries whose patient-safety credits were approved by staff or arrived by
    import (**Decision:** what "an approved patient safety activity" means for Special
    Circumstances; a claim still pending review does not count yet)."""

    patient_safety: Decimal = ZERO_CREDITS
    patient_safety_pending: Decimal = ZERO_CREDITS
    approved_patient_safety_activities: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "patient_safety", _credits(self.patient_safety, "patient_safety"))
        object.__setattr__(
            self,
            "patient_safety_pending",
            _credits(self.patient_safety_pending, "patient_safety_pending"),
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
class MilestoneResult(_Requirements):
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


def _date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _count(value: int) -> Decimal:
    return quantize_credits(value)


def _tracer_procedures(
    milestone: Milestone, records: Sequence[TracerProcedureRecord]
) -> tuple[RequirementResult, list[str], list[str]]:
    """Seed 003: "One approved educational activity is required with each tracer procedure.
    The educational activity can be completed within three years of completing the tracer
    procedure ... as long as the course is completed within the three years prior to the
    December 1st deadline and aligned with the completed tracer procedure."

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
    """One deadline of the certification cycle (rules.md §6, seed 003).

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
                f"{_plural(remaining, 'more patient-safety credit{s}')} by "
                f"{_date(milestone.deadline)}"
            )
        if pending:
            verb = "is" if pending == 1 else "are"
            notes.append(
                f"{_plural(pending, 'patient-safety credit{s}')} {verb} pending staff review "
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
    """Every deadline of the certification cycle holding ``as_of`` (rules.md §6).

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
