"""Realistic load data in bulk, into the database of DATABASE_URL (``bench.loaddata``).

    python -m bench.generate --members N --entries-per-member M --seed S

A script of the benchmarks, not a command of the apps: the apps never import ``bench``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the load data; Django must be set up (``python -m`` does it below)."""
    from bench.loaddata import LoadSize, generate

    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Insert realistic members, providers and CME entries in bulk.",
    )
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--entries-per-member", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    size = LoadSize(options.members, options.entries_per_member, options.seed)
    started = time.perf_counter()
    members, entries = generate(size)
    print(
        f"Created {members} members and {entries} entries "
        f"in {time.perf_counter() - started:.1f} s ({size.label})."
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmetrack.settings")
    import django

    django.setup()
    main(sys.argv[1:])
