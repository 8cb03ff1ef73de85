"""What a catalogue activity was designated for, and what a claim on it may say
(``docs/rules.md`` §3 "Designated maximum" and §4 "Decided by the catalogue").

ASAPS About CME: "The American Society for Aesthetic Plastic Surgery designates this live
activity for a maximum of 50.75 AMA PRA Category 1 Credits™. Physicians should claim only
credit commensurate with the extent of their participation in the activity." and "The
Scientific Sessions are designated for 21.25 credits, of which 12 are Patient Safety CME. An
additional 29.50 credits are designated for special seminars and optional courses."

A claim is judged against every designation it falls under: the activity's own and, for a
part (the Scientific Sessions), the whole it belongs to (the meeting). What the member already
claimed on the same activity in other entries counts too, so that a designation cannot be
passed by splitting a claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from credits.rules.amounts import ZERO_CREDITS, format_credits


@dataclass(frozen=True)
class Designation:
    """One activity's designation, and what this member already claimed on it elsewhere.

    ``None`` means the designation does not say (no maximum known, no patient-safety credits
    designated); it never means zero.
    """

    title: str
    maximum: Decimal | None
    patient_safety: Decimal | None = None
    claimed: Decimal = ZERO_CREDITS
    claimed_patient_safety: Decimal = ZERO_CREDITS


def credits_problem(designations: Sequence[Designation], credits: Decimal) -> str | None:
    """Why ``credits`` may not be claimed (the first designation it would pass), or ``None``."""
    for designation in designations:
        if designation.maximum is None:
            continue
        room = designation.maximum - designation.claimed
        if credits <= room:
            continue
        words = (
            f"{designation.title} is designated for a maximum of "
            f"{format_credits(designation.maximum)} AMA PRA Category 1 Credits™"
        )
        if designation.claimed > 0:
            left = max(room, ZERO_CREDITS)
            return (
                f"{words}, and your other entries for it already claim "
                f"{format_credits(designation.claimed)}: claim at most {format_credits(left)} "
                f"here."
            )
        return f"{words}: claim at most {format_credits(designation.maximum)}."
    return None


def patient_safety_within_designation(
    designations: Sequence[Designation], patient_safety_credits: Decimal
) -> Designation | None:
    """The designation that vouches for a patient-safety claim, or ``None`` when a person must
    review it.

    A claim is vouched for when its activity designates patient-safety credits and the claim,
    with the member's other claims on the same activity, stays within them and within what the
    whole it belongs to designates (where the whole says). The activity's own designation is
    returned, to be named as the reason.
    """
    if patient_safety_credits <= 0 or not designations:
        return None
    own = designations[0]
    if own.patient_safety is None or own.patient_safety <= 0:
        return None
    for designation in designations:
        if designation.patient_safety is None:
            continue
        if designation.claimed_patient_safety + patient_safety_credits > (
            designation.patient_safety
        ):
            return None
    return own


def approval_reason(designation: Designation, patient_safety_credits: Decimal) -> str:
    """The note kept with a claim the catalogue approved, in plain words."""
    return (
        f"{designation.title} is designated for {format_credits(designation.patient_safety)} "
        f"patient-safety credits; {format_credits(patient_safety_credits)} claimed."
    )
