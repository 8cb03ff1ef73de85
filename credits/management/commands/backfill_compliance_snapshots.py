"""``manage.py backfill_compliance_snapshots [--months 36] [--today YYYY-MM-DD]``: the
month-end compliance snapshots of the months before the nightly job recorded them
(:func:`credits.compliance_snapshots.backfill`). Safe to run again."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from credits import compliance_snapshots


class Command(BaseCommand):
    help = "Compute the month-end compliance snapshots of the last months (default 36)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: object, **options: object) -> None:
        today = options["today"] or timezone.localdate()
        with transaction.atomic():
            written = compliance_snapshots.backfill(months=options["months"], today=today)
        self.stdout.write(f"{written} snapshots written (month ends up to {today}).")
