"""``python manage.py import_meeting_credits FILE [--sync]`` (docs/imports.md).

Without ``--sync`` the file is recorded as an import run and handed to the Celery worker
(which runs it in-process when no broker is configured); with ``--sync`` it runs here. Either
way, once the run is done, the counts are printed (:mod:`imports.commands`).
"""

from __future__ import annotations

from imports.commands import ImportCommand
from imports.models import ImportRun


class Command(ImportCommand):
    help = (
        "Import society meeting credits (CSV: asps_id,activity_code,activity_title,provider,"
        "start_date,end_date,category,credits,patient_safety_credits,patient_safety_kind,"
        "plastic_surgery_credits,evaluation_completed_on)."
    )
    kind = ImportRun.Kind.MEETING_CREDITS
