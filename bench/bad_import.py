"""Run one import in a fresh process and report its time and peak memory (``make bench``).

``python bench/bad_import.py RUN_ID`` imports the run (the file is already recorded) the way
the Celery worker does, then prints ``{"seconds": …, "peak_mb": …, "status": …, "rejected": …}``.
A process of its own, so that the peak resident memory is the import's, not the bench's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmetrack.settings")

import django

django.setup()


def peak_resident_kb() -> int:
    """This process's peak resident memory. Not ``getrusage``: its ``ru_maxrss`` keeps the
    parent's peak across fork and exec, so it would report the bench's memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    from imports.services import perform_run

    started = time.perf_counter()
    run = perform_run(int(sys.argv[1]))
    seconds = time.perf_counter() - started
    peak_kb = peak_resident_kb()
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mb": round(peak_kb / 1024, 1),
                "status": run.status,
                "rejected": run.rejected,
            }
        )
    )


if __name__ == "__main__":
    main()
