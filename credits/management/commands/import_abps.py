"""``python manage.py import_abps FILE [--sync]``: ABPS records (README "Import files")."""

from __future__ import annotations

from credits.management.commands import import_meeting_credits
from members.models import ImportRun


class Command(import_meeting_credits.Command):
    help = (
        "Import ABPS records (CSV: asps_id,abps_record_id,record_type,title,completed_on,"
        "credits,patient_safety_credits; record_type cc_exam or cc_activity)."
    )
    kind = ImportRun.Kind.ABPS
