"""``generate_load_data --members N --entries-per-member M --seed S``: realistic data in bulk."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from bench.loaddata import LoadSize, generate


class Command(BaseCommand):
    help = "Insert realistic members, providers and CME entries in bulk (for benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=1_000)
        parser.add_argument("--entries-per-member", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: object, **options: int) -> None:
        size = LoadSize(options["members"], options["entries_per_member"], options["seed"])
        started = time.perf_counter()
        members, entries = generate(size)
        self.stdout.write(
            f"Created {members} members and {entries} entries "
            f"in {time.perf_counter() - started:.1f} s ({size.label})."
        )
