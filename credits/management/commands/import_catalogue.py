"""``python manage.py import_catalogue FILE [--sync]``: the activity catalogue (docs/imports.md
"Activity catalogue")."""

from __future__ import annotations

from imports.commands import ImportCommand
from imports.models import ImportRun


class Command(ImportCommand):
    help = (
        "Import catalogue activities, upserted by code (CSV: code,title and any of kind,"
        "part_of,provider,activity_type,category,start_date,end_date,city,state,country,"
        "max_credits,patient_safety_credits,patient_safety_kind,plastic_surgery_credits,"
        "content_areas,url,active)."
    )
    kind = ImportRun.Kind.CATALOGUE
