"""What the rules tests share: totals built from plain values."""

from __future__ import annotations

from decimal import Decimal

from credits.rules import (
    PatientSafetyKind,
    Totals,
)

D = Decimal


GENERAL = PatientSafetyKind.GENERAL


CAPPED_KINDS = [kind for kind in PatientSafetyKind if kind is not GENERAL]


def totals(
    category_1: str | int = 0,
    category_2: str | int = 0,
    plastic_surgery: str | int = 0,
    pending: str | int = 0,
    ps_category_1: str | int = 0,
    ps_category_2: str | int = 0,
    **patient_safety: str | int,
) -> Totals:
    """Totals in the members' words: ``totals(60, 90, general=20, device_training=7)``."""
    return Totals(
        category_1=D(category_1),
        category_2=D(category_2),
        plastic_surgery=D(plastic_surgery),
        patient_safety_by_kind={PatientSafetyKind(k): D(v) for k, v in patient_safety.items()},
        patient_safety_pending=D(pending),
        patient_safety_category_1=D(ps_category_1),
        patient_safety_category_2=D(ps_category_2),
    )


def compliant_totals(**changes: str | int) -> Totals:
    """Everything exactly at its threshold, PS split 12/8 as recommended; then ``changes``."""
    values: dict[str, str | int] = {
        "category_1": 60,
        "category_2": 90,
        "plastic_surgery": 50,
        "general": 20,
        "ps_category_1": 12,
        "ps_category_2": 8,
    }
    values.update(changes)
    return totals(**values)  # type: ignore[arg-type]
