"""Known accredited providers (seeds 002, 004), with who uploads credits automatically."""

import datetime as dt

from django.db import migrations

KNOWN_PROVIDERS = [
    # name, abbreviation, accreditation, auto_uploaded, auto_uploaded_until
    ("American Society of Plastic Surgeons", "ASPS", "ACCME", True, None),
    ("California Society of Plastic Surgeons", "CSPS", "ACCME", True, None),
    ("Northwest Society of Plastic Surgeons", "NWSPPS", "ACCME", True, None),
    ("Southeastern Society of Plastic and Reconstructive Surgeons", "SESPPRS", "ACCME", True, None),
    # the ASPS member portal's CME report: "ASPS will no longer automatically upload programs accredited by ASAPS as of
    # December 1, 2018."
    ("The Aesthetic Society (American Society for Aesthetic Plastic Surgery)", "ASAPS", "ACCME", True, dt.date(2018, 11, 30)),
    ("American Medical Association (direct credit)", "AMA", "AMA PRA direct credit", False, None),
    ("American Board of Plastic Surgery", "ABPS", "ABMS member board", False, None),
    ("Baker Gordon Educational Foundation", "", "ACCME", False, None),
    ("American Association for Hand Surgery", "AAHS", "ACCME", False, None),
    ("American Society for Surgery of the Hand", "ASSH", "ACCME", False, None),
    ("American Society for Reconstructive Microsurgery", "ASRM", "ACCME", False, None),
    ("American Society of Maxillofacial Surgeons", "ASMS", "ACCME", False, None),
    ("American College of Surgeons", "ACS", "ACCME", False, None),
    ("American Heart Association", "AHA", "ACCME", False, None),
    ("American Association for Accreditation of Ambulatory Surgery Facilities", "AAAASF", "ACCME", False, None),
    ("Institute for Healthcare Improvement", "IHI", "ACCME", False, None),
]


def add_known_providers(apps, schema_editor):
    Provider = apps.get_model("credits", "Provider")
    for name, abbreviation, accreditation, auto_uploaded, until in KNOWN_PROVIDERS:
        Provider.objects.update_or_create(
            name=name,
            defaults={
                "abbreviation": abbreviation,
                "accreditation": accreditation,
                "auto_uploaded": auto_uploaded,
                "auto_uploaded_until": until,
                "verified": True,
            },
        )


def remove_known_providers(apps, schema_editor):
    Provider = apps.get_model("credits", "Provider")
    Provider.objects.filter(name__in=[row[0] for row in KNOWN_PROVIDERS], entries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]

    operations = [migrations.RunPython(add_known_providers, remove_known_providers)]
