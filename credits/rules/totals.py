"""Totals: one member's credits in one window, as one aggregate query returns them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import ClassVar

from credits.rules.amounts import ZERO_CREDITS, non_negative_credits
from credits.rules.enums import PatientSafetyKind

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
    """A member's credits in one window, as one aggregate query returns them.

    ``patient_safety_by_kind`` holds the patient-safety credits that count: approved, not
    needing review, *and* pending (docs/rules.md §4: "Pending PS credits count provisionally");
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
            object.__setattr__(self, name, non_negative_credits(getattr(self, name), name))
        given = {
            PatientSafetyKind(kind): amount for kind, amount in self.patient_safety_by_kind.items()
        }
        by_kind = {
            kind: non_negative_credits(given.get(kind, 0), kind.value) for kind in PatientSafetyKind
        }
        object.__setattr__(self, "patient_safety_by_kind", MappingProxyType(by_kind))

    @property
    def patient_safety(self) -> Decimal:
        """All patient-safety credits that count, before the per-kind caps."""
        return sum(self.patient_safety_by_kind.values(), ZERO_CREDITS)

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
        """Two windows together, e.g. a failed cycle plus its make-up credits (docs/rules.md §5)."""
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


Totals.ZERO = Totals()
