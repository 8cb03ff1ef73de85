"""``evaluate_standing [--as-of YYYY-MM-DD]``: apply docs/rules.md §5 to every member, as of any
day, earlier or later than the last run (reports.standing_replay)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reports import standing_job


def as_of_date(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Apply the standing rules (probation, suspension, dropping) to every member."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            help="Judge as of this day, earlier or later than the last run (default: today).",
        )

    def handle(self, *args: object, **options: object) -> None:
        run = standing_job.evaluate_standing(as_of=as_of_date(options["as_of"]))
        for change in run.transitions:
            self.stdout.write(
                f"{change.member.asps_id} {change.member.full_name}: {change.from_standing} → "
                f"{change.to_standing} from {change.effective_on.isoformat()}"
            )
        for change in run.withdrawn:
            self.stdout.write(
                f"{change.member.asps_id} {change.member.full_name}: withdrawn "
                f"{change.from_standing} → {change.to_standing} from "
                f"{change.effective_on.isoformat()} (no longer follows from the rules)"
            )
        self.stdout.write(
            f"{run.members} members judged as of {run.as_of.isoformat()}, "
            f"{len(run.transitions)} transitions."
        )
