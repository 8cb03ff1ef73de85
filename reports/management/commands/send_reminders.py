"""``send_reminders [--as-of YYYY-MM-DD]``: cycle-end reminders 180, 90 and 30 days ahead."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from reports import standing_job
from reports.management.commands.evaluate_standing import as_of_date


class Command(BaseCommand):
    help = "Email members not yet compliant 180, 90 and 30 days before their cycle ends."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="As of this day (default: today).")

    def handle(self, *args: object, **options: object) -> None:
        sent = standing_job.send_reminders(as_of=as_of_date(options["as_of"]))
        self.stdout.write(f"{sent} reminders sent.")
