"""``python manage.py import_abps FILE [--sync]``: ABPS records (README "Import files")."""

from __future__ import annotations

from imports.commands import ImportCommand
from imports.models import ImportRun


class Command(ImportCommand):
    help = (
        "Import ABPS records (CSV: asps_id,abps_record_id,record_type,title,completed_on,"
        "credits,patient_safety_credits; record_type cc_exam or cc_activity)."
    )
    kind = ImportRun.Kind.ABPS
