"""The catalogue's first activities: the ASAPS meeting of ASAPS "About CME" (with its two
designated parts) and the ABPS Continuous Certification list of patient-safety courses and
articles, plus TOPS, the quality-assurance example of the ASPS CME requirements.

Designations are as the sources state them; what they do not state stays empty.
"""

from decimal import Decimal

from django.db import migrations

ASAPS_MEETING = ("ASAPS-MEETING", "ASAPS Annual Meeting", "50.75", "12")
# (code, title, maximum, patient safety, patient-safety topic)
ASAPS_PARTS = [
    ("ASAPS-MEETING-SESSIONS", "Scientific Sessions", "21.25", "12"),
    ("ASAPS-MEETING-COURSES", "Special seminars and optional courses", "29.50", None),
]
# (code, title, provider abbreviation, activity type, maximum, patient safety, topic, areas)
RESOURCES = [
    ("PS-ASAPS-HOT-TOPICS", "Hot Topics in Patient Safety", "ASAPS", "enduring_material", None, None, "general", []),
    ("PS-ASAPS-CULTURE", "Developing a Culture of Safety in Aesthetic Surgery", "ASAPS", "enduring_material", None, None, "general", ["cosmetic"]),
    ("PS-ASPS-VTE", "Venous Thromboembolism and its Prevention", "ASPS", "enduring_material", None, None, "general", []),
    ("PS-ASPS-SEDATION", "Improving Patient Safety During Sedation/Analgesia", "ASPS", "enduring_material", None, None, "general", []),
    ("PS-ASPS-PROFITABLE", "Patient Safety Can Be Profitable", "ASPS", "enduring_material", None, None, "general", ["practice_management"]),
    ("PS-ASPS-SSI", "Preventing Surgical Site Infections", "ASPS", "enduring_material", None, None, "general", []),
    ("PS-IHI-OPEN-SCHOOL", "IHI Open School Patient Safety Curriculum", "IHI", "enduring_material", "10", "10", "general", []),
    ("PS-PRS-BDD", "PRS article: Patient Safety: Body Dysmorphic Disorder and Cosmetic Surgery", None, "journal_article", None, None, "general", ["cosmetic"]),
    ("PS-PRS-VTE", "PRS article: Venous Thromboembolism Prophylaxis in Plastic Surgery Patients", None, "journal_article", None, None, "general", []),
    ("PS-PRS-OFFICE", "PRS article: Patient Safety in the Office Based Setting", None, "journal_article", None, None, "general", ["practice_management"]),
    ("PS-PRS-PLASTIC-SURGERY", "PRS article: Patient Safety in Plastic Surgery", None, "journal_article", None, None, "general", []),
    ("PS-ASPS-TOPS", "TOPS: Tracking Operations and Outcomes for Plastic Surgeons (quality assurance)", "ASPS", "other", None, None, "quality_assurance", ["practice_management"]),
]
CODES = [ASAPS_MEETING[0]] + [row[0] for row in ASAPS_PARTS] + [row[0] for row in RESOURCES]


def credits(value):
    return None if value is None else Decimal(value)


def add_catalogue(apps, schema_editor):
    Activity = apps.get_model("credits", "Activity")
    Provider = apps.get_model("credits", "Provider")
    providers = {p.abbreviation: p for p in Provider.objects.exclude(abbreviation="")}
    code, title, maximum, patient_safety = ASAPS_MEETING
    meeting, _ = Activity.objects.update_or_create(
        code=code,
        defaults={
            "title": title,
            "provider": providers.get("ASAPS"),
            "activity_type": "live_activity",
            "max_credits": credits(maximum),
            "patient_safety_credits": credits(patient_safety),
            "content_areas": ["cosmetic"],
        },
    )
    for code, title, maximum, patient_safety in ASAPS_PARTS:
        Activity.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "parent": meeting,
                "provider": providers.get("ASAPS"),
                "activity_type": "live_activity",
                "max_credits": credits(maximum),
                "patient_safety_credits": credits(patient_safety),
                "content_areas": ["cosmetic"],
            },
        )
    for code, title, provider, kind, maximum, patient_safety, topic, areas in RESOURCES:
        Activity.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "kind": "resource",
                "provider": providers.get(provider) if provider else None,
                "activity_type": kind,
                "max_credits": credits(maximum),
                "patient_safety_credits": credits(patient_safety),
                "patient_safety_kind": topic,
                "content_areas": areas,
            },
        )


def remove_catalogue(apps, schema_editor):
    Activity = apps.get_model("credits", "Activity")
    Activity.objects.filter(code__in=CODES, parent__isnull=False).delete()
    Activity.objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("credits", "0012_activity_catalogue")]

    operations = [migrations.RunPython(add_catalogue, remove_catalogue)]
