"""Short of patient-safety credits: which bodies still want them, and which topics still count
toward what they want (``docs/rules.md`` §1 and §6).

The dashboard and the CME report offer the catalogue's patient-safety resources to a member
who is short; a resource whose topic no longer counts is not offered. A capped topic (quality
assurance, device training, research, accreditation workshops: "maximum 5 hours toward
patient safety during the three year CME cycle") no longer counts toward a society once the
member's credits of that topic in the cycle reach the cap. The numbers are those of the
dashboard's own totals: pending claims count provisionally, rejected ones not (§4). The ABPS
applies no per-topic caps to its 20 credits (§6), so every topic counts toward the board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from credits.rules.amounts import ZERO_CREDITS, format_credits, plural
from credits.rules.certification import CertificationCompliance
from credits.rules.enums import (
    CertificationRequirementCode,
    MilestoneStatus,
    PatientSafetyKind,
    RequirementCode,
)
from credits.rules.requirements import Compliance, RequirementSet
from credits.rules.totals import Totals
from members.formatting import day

# The capped topics as a sentence names them ("the limit of 5 quality-assurance credits").
TOPIC_WORDS: Mapping[PatientSafetyKind, str] = MappingProxyType(
    {
        PatientSafetyKind.GENERAL: "general patient-safety",
        PatientSafetyKind.QUALITY_ASSURANCE: "quality-assurance",
        PatientSafetyKind.DEVICE_TRAINING: "device-training",
        PatientSafetyKind.RESEARCH: "research",
        PatientSafetyKind.ACCREDITATION_WORKSHOP: "accreditation-workshop",
    }
)


@dataclass(frozen=True)
class Shortfall:
    """One body that still wants patient-safety credits: its name ("ASPS"), what it still
    wants in words ("12 more patient-safety credits by Dec 31, 2027"), and per topic how many
    more credits of it can count (``None``: no cap; ``0``: the cap is reached)."""

    body: str
    still_needed: str
    room: Mapping[PatientSafetyKind, Decimal | None] = field(default_factory=dict)
    caps: Mapping[PatientSafetyKind, Decimal | None] = field(default_factory=dict)

    def counts(self, kind: PatientSafetyKind) -> bool:
        """Do more credits of this topic count toward this body?"""
        return self.room.get(kind) != 0


def patient_safety_room(
    totals: Totals, requirement_set: RequirementSet
) -> dict[PatientSafetyKind, Decimal | None]:
    """How many more credits of each topic count in the window: the cap less the credits of
    that topic that already count (never below 0); ``None`` for a topic without a cap."""
    room: dict[PatientSafetyKind, Decimal | None] = {}
    for kind in PatientSafetyKind:
        cap = requirement_set.patient_safety_caps.get(kind)
        earned = totals.patient_safety_by_kind.get(kind, ZERO_CREDITS)
        room[kind] = None if cap is None else max(cap - earned, ZERO_CREDITS)
    return room


def society_shortfall(
    compliance: Compliance, totals: Totals, *, deadline: dt.date
) -> Shortfall | None:
    """The society's shortfall in an open cycle ending on ``deadline``, or ``None`` when its
    patient-safety requirement is met (pending claims counted, as on the dashboard)."""
    requirement_set = compliance.requirement_set
    if RequirementCode.PATIENT_SAFETY not in requirement_set.requirements:
        return None
    result = compliance.requirement(RequirementCode.PATIENT_SAFETY)
    if result.met:
        return None
    return Shortfall(
        body=requirement_set.society,
        still_needed=f"{plural(result.remaining, 'more patient-safety credit{s}')} by "
        f"{day(deadline)}",
        room=MappingProxyType(patient_safety_room(totals, requirement_set)),
        caps=requirement_set.patient_safety_caps,
    )


def board_shortfall(certification: CertificationCompliance) -> Shortfall | None:
    """The ABPS shortfall at the next deadline while its window is open: the 20
    patient-safety credits, or under Special Circumstances the approved patient-safety
    activity. ``None`` when it is met, or when the next window has not opened yet (credits
    earned now count toward no deadline)."""
    upcoming = certification.next
    if upcoming.status != MilestoneStatus.IN_PROGRESS:
        return None
    deadline = day(upcoming.milestone.deadline)
    for result in upcoming.requirements:
        if result.met:
            continue
        if result.code == CertificationRequirementCode.PATIENT_SAFETY:
            wanted = plural(result.remaining, "more patient-safety credit{s}")
        elif result.code == CertificationRequirementCode.SPECIAL_CIRCUMSTANCES:
            wanted = "an approved patient-safety activity"
        else:
            continue
        return Shortfall(
            body=certification.requirement_set.society, still_needed=f"{wanted} by {deadline}"
        )
    return None


def topics_used_up(shortfalls: Sequence[Shortfall]) -> frozenset[PatientSafetyKind]:
    """The topics that count toward none of the bodies still short (all of them when none
    is)."""
    return frozenset(
        kind
        for kind in PatientSafetyKind
        if not any(shortfall.counts(kind) for shortfall in shortfalls)
    )


def _and(words: Iterable[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    words = list(dict.fromkeys(words))
    return " and ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))


def _names(shortfalls: Iterable[Shortfall]) -> str:
    return _and(shortfall.body for shortfall in shortfalls)


def _cap(kind: PatientSafetyKind, shortfalls: Iterable[Shortfall]) -> str:
    caps = [s.caps[kind] for s in shortfalls if s.caps.get(kind) is not None]
    return format_credits(max(caps)) if caps else ""


def topic_note(kind: PatientSafetyKind, shortfalls: Sequence[Shortfall]) -> str:
    """What the member should know about a resource of this topic, or ``""``: how much more
    of a capped topic counts ("Up to 3 more quality-assurance credits count this cycle (the
    limit is 5)."), or that it counts toward some of the bodies only."""
    capped = [s for s in shortfalls if s.caps.get(kind) is not None]
    counting = [s for s in shortfalls if s.counts(kind)]
    if not capped or not counting:
        return ""
    full = [s for s in capped if not s.counts(kind)]
    words = TOPIC_WORDS[kind]
    if full:
        return (
            f"Counts toward the {_names(counting)} only: you already have the "
            f"{_cap(kind, full)} {words} credits a cycle can count for {_names(full)}."
        )
    room = min(s.room[kind] for s in capped)
    verb = "counts" if room == 1 else "count"
    return (
        f"Up to {plural(room, f'more {words} credit{{s}}')} {verb} this cycle "
        f"(the limit is {_cap(kind, capped)})."
    )


def left_out_sentence(used_up: Iterable[PatientSafetyKind], shortfalls: Sequence[Shortfall]) -> str:
    """Why some topics are not offered, or ``""``: "Quality-assurance activities are not
    listed: you already have the 5 quality-assurance credits a cycle can count."."""
    used_up = set(used_up)
    kinds = [kind for kind in PatientSafetyKind if kind in used_up]
    if not kinds or not shortfalls:
        return ""
    topics = _and(TOPIC_WORDS[kind] for kind in kinds)
    limits = _and(f"{_cap(kind, shortfalls)} {TOPIC_WORDS[kind]}" for kind in kinds)
    return (
        f"{topics[0].upper()}{topics[1:]} activities are not listed: you already have the "
        f"{limits} credits a cycle can count."
    )
