"""The enumerations of the rules; Django builds its field choices from them.

Categories, patient-safety topics and activity types come from the ASPS CME requirements and
the ASPS member portal's CME report; the certification codes from ABPS Continuous
Certification (``docs/rules.md`` §1 and §6).
"""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum
from typing import Any


class _LabelledStrEnum(StrEnum):
    """A StrEnum whose members are declared as ``NAME = "value", "Human label"``."""

    label: str

    def __new__(cls, value: str, label: str) -> _LabelledStrEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class Category(IntEnum):
    """The ASPS CME requirements: "AMA PRA Category 1 Credit™" and "Category 2: All Other
    Categories of CME"."""

    label: str

    def __new__(cls, value: int, label: str) -> Category:
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    CATEGORY_1 = 1, "AMA PRA Category 1 Credit™"
    CATEGORY_2 = 2, "AMA PRA Category 2 Credit™"


class PatientSafetyKind(_LabelledStrEnum):
    """The ASPS CME requirements: "A broad view of topics applicable as Patient Safety CME"
    (docs/rules.md §1)."""

    GENERAL = (
        "general",
        # The ASPS CME requirements: prophylaxis (ACLS, complication management), risk
        # management, patient selection, physical plant safety and anesthesia care.
        "General (ACLS, risk management, patient selection, facility safety, anesthesia)",
    )
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance (e.g. TOPS)"
    DEVICE_TRAINING = "device_training", "Device training"
    RESEARCH = "research", "Research on a patient-safety topic"
    ACCREDITATION_WORKSHOP = "accreditation_workshop", "Accreditation organizations' workshops"


class ActivityType(_LabelledStrEnum):
    """Activity types of the ASPS member portal's form, and AMA direct credit (the ASPS CME
    requirements)."""

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


class ContentArea(_LabelledStrEnum):
    """The content areas of the ASPS Education Program's mission ("Topics may include but not
    be limited to ..."), optional on an entry and on a catalogue activity (docs/rules.md §3)."""

    COSMETIC = "cosmetic", "Cosmetic"
    BREAST = "breast", "Breast (cosmetic and reconstructive)"
    CRANIOMAXILLOFACIAL = "craniomaxillofacial", "Craniomaxillofacial"
    RECONSTRUCTION = (
        "reconstruction",
        "Reconstruction of anomalies or trauma (head and neck, trunk, extremities)",
    )
    MICROSURGERY = "microsurgery", "Microsurgery"
    PRACTICE_MANAGEMENT = "practice_management", "Practice management and advocacy"
    EMERGING_TRENDS = "emerging_trends", "Emerging trends (anti-aging, thread lifts, injectables)"


class RequirementCode(_LabelledStrEnum):
    """The four requirements of docs/rules.md §1, labelled as in the ASPS member portal's CME
    report."""

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


class CertificationRequirementCode(_LabelledStrEnum):
    """What ABPS Continuous Certification asks at each deadline of the certification cycle."""

    PATIENT_SAFETY = "patient_safety", "Patient safety (3 years)"
    TRACER_PROCEDURES = "tracer_procedures", "Tracer procedures with an aligned activity"
    SPECIAL_CIRCUMSTANCES = "special_circumstances", "Approved patient-safety activity"


class MilestoneStatus(_LabelledStrEnum):
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    IN_PROGRESS = "in_progress", "In progress"
    UPCOMING = "upcoming", "Not yet open"
