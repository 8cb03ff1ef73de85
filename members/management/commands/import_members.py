"""``python manage.py import_members FILE``: the roster import (docs/imports.md).

Runs in-process and prints "created N, updated N, unchanged N, rejected N", then the rejected
lines with their reasons (:mod:`imports.commands`).
"""

from __future__ import annotations

from imports.commands import ImportCommand
from imports.models import ImportRun


class Command(ImportCommand):
    help = (
        "Import the members roster (CSV: asps_id,email,first_name,last_name,membership_type,"
        "joined_on,cycle_start). New members are emailed an invitation to choose a password."
    )
    kind = ImportRun.Kind.ROSTER
    queued = False
    file_help = "The roster CSV file (UTF-8, header row)."
