"""Credits as numbers: always a ``Decimal`` with two places (:func:`quantize_credits`), and
the caps of the ASPS CME requirements (``docs/rules.md`` §1)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType

from credits.rules.enums import PatientSafetyKind
from members import formatting

TWO_PLACES = Decimal("0.01")
ZERO_CREDITS = Decimal("0.00")

CATEGORY_2_CAP_TOWARD_TOTAL = Decimal(90)
"""The ASPS CME requirements: "Category 2: All Other Categories of CME - 90 Credit Limit"
(``docs/rules.md`` §1)."""

_FIVE = Decimal(5)
PATIENT_SAFETY_CAPS: Mapping[PatientSafetyKind, Decimal | None] = MappingProxyType(
    {
        # The ASPS CME requirements list each of these with "(maximum 5 hours toward patient
        # safety during the three year CME cycle)"; the general topics carry no maximum
        # (docs/rules.md §1).
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
    """docs/rules.md §1: "Credits are decimals in steps of 0.25" (the ASPS member portal's CME
    report shows 1.25, 7.5, 126.5)."""
    if not value.is_finite():
        return False
    quarters = value * 4  # ``% 1`` would raise for numbers beyond the decimal precision
    return quarters == quarters.to_integral_value()


def format_credits(value: Decimal | int | str) -> str:
    """Credits as people write them: ``104``, ``2.5``, ``7.25`` (no trailing zeros)."""
    return formatting.credits(quantize_credits(value))


def plural(value: Decimal, noun: str) -> str:
    """``"1 more credit"`` but ``"2.5 more credits"``; ``noun`` holds ``{s}``."""
    return f"{format_credits(value)} {noun.format(s='' if value == 1 else 's')}"


def non_negative_credits(value: object, name: str) -> Decimal:
    amount = quantize_credits(value)
    if amount < 0:
        raise ValueError(f"{name} cannot be negative: {amount}")
    return amount
