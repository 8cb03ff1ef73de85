"""Demo CME record for ``load_demo``: a realistic cycle that shows every rule at work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credits import certification_services, compliance_summary_services, entry_rules, services
from credits.models import (
    ApprovedActivity,
    CompletedTracerProcedure,
    CreditEntry,
    Source,
    TracerProcedure,
)
from members.models import Member

# (fraction of the cycle elapsed so far, title, type, category, provider, credits,
#  plastic surgery, patient safety, PS kind, source, duplicate on purpose)
DEMO_ENTRIES = [
    (
        0.02,
        "Plastic Surgery The Meeting",
        "live_activity",
        1,
        "ASPS",
        "25.5",
        "25.5",
        "6",
        "general",
        Source.SOCIETY_IMPORT,
    ),
    (
        0.06,
        "Journal CME Article: Update on Liposuction",
        "journal_article",
        1,
        "ASPS",
        "1",
        "1",
        "0.5",
        "general",
        Source.SOCIETY_IMPORT,
    ),
    (
        0.10,
        "Grand Rounds, Northwestern Medicine (series)",
        "rss",
        1,
        "Northwestern University Feinberg School of Medicine",
        "12",
        "8",
        "1",
        "general",
        Source.SELF_REPORTED,
    ),
    (
        0.15,
        "The Aesthetic Meeting",
        "live_activity",
        1,
        "ASAPS",
        "21.25",
        "21.25",
        "12",
        "general",
        Source.SELF_REPORTED,
    ),
    (
        0.22,
        "TOPS outcomes data review",
        "self_assessment",
        2,
        "",
        "6",
        "6",
        "6",
        "quality_assurance",
        Source.SELF_REPORTED,
    ),
    (
        0.30,
        "Reading: Plastic and Reconstructive Surgery journal",
        "enduring_material",
        2,
        "",
        "40",
        "30",
        "0",
        "general",
        Source.SELF_REPORTED,
    ),
    (
        0.38,
        "Energy-based device training: radiofrequency microneedling",
        "live_activity",
        1,
        "Baker Gordon Educational Foundation",
        "7",
        "7",
        "7",
        "device_training",
        Source.SELF_REPORTED,
    ),
    (
        0.45,
        "In-Service Exam: Hand and Lower Extremity Module",
        "in_service_exam",
        1,
        "ASPS",
        "7.5",
        "7.5",
        "1.5",
        "general",
        Source.SOCIETY_IMPORT,
    ),
    (
        0.52,
        "Teaching residents: microsurgery lab",
        "teaching",
        2,
        "",
        "30",
        "20",
        "0",
        "general",
        Source.SELF_REPORTED,
    ),
    (
        0.60,
        "Fundamentals in Plastic Surgery: BREAST",
        "live_activity",
        1,
        "ASPS",
        "4.5",
        "4.5",
        "1.75",
        "general",
        Source.SOCIETY_IMPORT,
    ),
    (
        0.68,
        "ACLS recertification",
        "live_activity",
        1,
        "American Heart Association",
        "8",
        "0",
        "8",
        "general",
        Source.SELF_REPORTED,
    ),
    (
        0.75,
        "Peer consultation and case conferences",
        "other",
        2,
        "",
        "28",
        "20",
        "0",
        "general",
        Source.SELF_REPORTED,
    ),
    (
        0.82,
        "Senior Residents Conference",
        "live_activity",
        1,
        "ASPS",
        "13",
        "13",
        "2",
        "general",
        Source.SOCIETY_IMPORT,
    ),
    (
        0.90,
        "Safety in office-based anesthesia",
        "enduring_material",
        1,
        "American Association for Accreditation of Ambulatory Surgery Facilities",
        "3",
        "0",
        "3",
        "general",
        Source.SELF_REPORTED,
    ),
]


# The content areas the demo's activities covered (the report's "Credits by content area");
# the others record none.
DEMO_CONTENT_AREAS = {
    "Plastic Surgery The Meeting": ["cosmetic", "breast", "reconstruction"],
    "Journal CME Article: Update on Liposuction": ["cosmetic"],
    "The Aesthetic Meeting": ["cosmetic", "emerging_trends"],
    "TOPS outcomes data review": ["practice_management"],
    "Energy-based device training: radiofrequency microneedling": ["emerging_trends"],
    "In-Service Exam: Hand and Lower Extremity Module": ["reconstruction"],
    "Teaching residents: microsurgery lab": ["microsurgery"],
    "Fundamentals in Plastic Surgery: BREAST": ["breast"],
    "Safety in office-based anesthesia": ["practice_management"],
}


def load_demo_entries(member: Member, *, today: dt.date) -> int:
    """Replace the member's entries with the demo record of their current cycle."""
    CreditEntry.objects.filter(member=member).delete()
    cycle_start = member.cycle_start
    elapsed = (today - cycle_start).days
    created = 0
    for (
        fraction,
        title,
        activity,
        category,
        provider,
        credits,
        plastic,
        safety,
        kind,
        source,
    ) in DEMO_ENTRIES:
        end = cycle_start + dt.timedelta(days=int(elapsed * fraction))
        start = end - dt.timedelta(days=2 if activity == "live_activity" else 0)
        country = member.country or "United States"
        services.entry_create(
            member=member,
            values={
                "title": title,
                "activity_type": activity,
                "category": category,
                "provider": provider,
                "start_date": max(start, cycle_start),
                "end_date": end,
                "credits": Decimal(credits),
                "plastic_surgery_credits": Decimal(plastic),
                "patient_safety_credits": Decimal(safety),
                "patient_safety_kind": kind,
                "city": member.city or "Chicago",
                # A US activity needs a state: a demo member without one is in Illinois.
                "state": member.state or ("IL" if entry_rules.is_united_states(country) else ""),
                "country": country,
            },
            source=source,
            today=today,
        )
        created += 1
    for title, areas in DEMO_CONTENT_AREAS.items():
        CreditEntry.objects.filter(member=member, title=title).update(content_areas=areas)
    compliance_summary_services.refresh_member(member.pk)
    return created


# Demo data, not the Board's list: staff keep the real ABPS list in the admin
# (ABPS Continuous Certification).
DEMO_TRACER_ACTIVITIES = {
    "Breast reduction": [
        ("Reduction Mammaplasty: Safety and Outcomes", ApprovedActivity.Format.COURSE, "ASPS"),
        ("Vertical versus Wise-Pattern Reduction", ApprovedActivity.Format.ARTICLE, "PRS"),
    ],
    "Rhinoplasty": [
        ("Nasal Airway Management in Rhinoplasty", ApprovedActivity.Format.COURSE, "ASAPS"),
    ],
}


def load_demo_certification(member: Member, *, today: dt.date) -> int:
    """Make the member an ASAPS member too, and an ABPS diplomate in year 2 of the cycle,
    with two tracer procedures:
    one with its aligned activity, one still waiting for it (the dashboard's ABPS panel)."""
    member.asaps_member = True
    member.abps_certification_year = today.year - 1
    member.abps_special_circumstances = False
    member.save(
        update_fields=["asaps_member", "abps_certification_year", "abps_special_circumstances"]
    )
    activities = {}
    for name, offered in DEMO_TRACER_ACTIVITIES.items():
        procedure, _ = TracerProcedure.objects.get_or_create(name=name)
        for title, format_, offered_by in offered:
            activities[title], _ = ApprovedActivity.objects.get_or_create(
                title=title,
                tracer_procedure=procedure,
                defaults={"format": format_, "offered_by": offered_by},
            )
    CompletedTracerProcedure.objects.filter(member=member).delete()
    reduction = activities["Reduction Mammaplasty: Safety and Outcomes"]
    certification_services.tracer_procedure_create(
        member=member,
        values={
            "procedure": reduction.tracer_procedure,
            "completed_on": today - dt.timedelta(days=200),
            "approved_activity": reduction,
            "activity_completed_on": today - dt.timedelta(days=120),
        },
        today=today,
    )
    certification_services.tracer_procedure_create(
        member=member,
        values={
            "procedure": TracerProcedure.objects.get(name="Rhinoplasty"),
            "completed_on": today - dt.timedelta(days=30),
        },
        today=today,
    )
    return 2
