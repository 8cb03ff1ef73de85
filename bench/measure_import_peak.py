"""The peak memory of the 50,000-row meeting import (``import_50k_peak_mb``).

The file is recorded here; a fresh process (``bench/bad_import.py``, which runs any recorded
import as the Celery worker does) imports it and reports its peak resident memory
(``VmHWM``), so that the figure is the import's and not the bench's. About 60 MB of it is
Python and Django starting (the same process importing the 1,000,000 bad rows peaks at ~82
MB and holds almost nothing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.metrics import Metric

ROOT = Path(__file__).resolve().parent.parent


def child_env() -> dict[str, str]:
    """The environment of a child that opens the database in use (the test database)."""
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    return env


def measure_import_peak(rows: int = 50_000) -> dict[str, Metric]:
    """A new meeting file of ``rows`` rows (5 a member, new activity codes) imported by a
    fresh process: its peak resident memory and its time."""
    from bench.measure_import import import_members, meeting_csv
    from imports.models import ImportRun
    from imports.services import run_create
    from members.models import Member

    wanted = max(1, rows // 5)
    members = list(Member.objects.filter(asps_id__startswith="B").order_by("asps_id")[:wanted])
    if len(members) < wanted:  # the import group's members, made here when it did not run
        members = import_members(wanted)
    text = meeting_csv(members, rows, code_prefix="PEAK25", seed=7)
    run = run_create(kind=ImportRun.Kind.MEETING_CREDITS, file_name="peak.csv", content=text)
    answer = subprocess.run(  # noqa: S603 - this interpreter, the bench's own script
        [sys.executable, str(ROOT / "bench" / "bad_import.py"), str(run.pk)],
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(answer.stdout.strip().splitlines()[-1])
    if figures["status"] != ImportRun.Status.DONE:
        raise RuntimeError(f"The import for the peak memory did not finish: {figures}")
    label = f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)
    print(
        f"import of {rows} rows in a fresh process: {figures['seconds']} s, "
        f"peak {figures['peak_mb']} MB resident"
    )
    return {
        f"import_{label}_peak_mb": {"value": figures["peak_mb"], "unit": "MB", "limit": 300},
        f"import_{label}_fresh_process_s": {
            "value": figures["seconds"],
            "unit": "s",
            "limit": None,
        },
    }
