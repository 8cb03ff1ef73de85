"""The meeting-credit import measured: 50,000 rows, the same file again, the speed-up over
saving rows one by one, and a file of bad rows stopped at the rejected-rows cap
(``make bench BENCH_ARGS=import``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.metrics import Metric

ROOT = Path(__file__).resolve().parent.parent

IMPORT_SEED = 20251010
SESSIONS_PER_ROUND = 60


def import_members(count: int) -> list:
    """``count`` members, inserted in bulk (their logins have unusable passwords)."""
    from bench.records import bulk_members

    return bulk_members(
        range(count),
        asps_id="B{n:06}",
        email="bench{n}@example.org",
        last_name="Member",
        city="Chicago",
        state="IL",
    )


def meeting_csv(members: list, rows: int, *, code_prefix: str, seed: int = IMPORT_SEED) -> str:
    """A realistic meeting-credit file, the same for the same seed: each member attends a few
    sessions; about 4% of rows wait for the evaluation, 1% have a bad value or an unknown
    member, 1% name a provider nobody knows yet."""
    from credits.meeting_import import MEETING_REQUIRED

    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    rounds = -(-rows // len(members))
    sessions = []
    for number in range(rounds * SESSIONS_PER_ROUND):
        day = dt.date(2025, 1, 6) + dt.timedelta(days=number % 300)
        credits = rng.randrange(1, 33) / 4
        sessions.append(
            {
                "activity_code": f"{code_prefix}-S{number:04}",
                "activity_title": f"Plastic Surgery Meeting 2025, session {number}",
                "start_date": day.isoformat(),
                "end_date": (day + dt.timedelta(days=rng.randrange(3))).isoformat(),
                "category": "1",
                "credits": str(credits),
                "patient_safety_credits": str(rng.choice([0, 0, 0.25, 0.5, 1]) * (credits >= 1)),
                "patient_safety_kind": rng.choice(["general", "general", "quality_assurance"]),
                "plastic_surgery_credits": str(credits),
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MEETING_REQUIRED, lineterminator="\n")
    writer.writeheader()
    for index in range(rows):
        member = members[index % len(members)]
        round_ = index // len(members)
        session = sessions[round_ * SESSIONS_PER_ROUND + rng.randrange(SESSIONS_PER_ROUND)]
        roll = rng.random()
        row = {
            **session,
            "asps_id": member.asps_id,
            "provider": "ASPS" if roll > 0.2 else "CSPS",
            "evaluation_completed_on": "" if roll < 0.04 else "2025-11-15",
        }
        if 0.04 <= roll < 0.045:
            row["credits"] = "n/a"
        elif 0.045 <= roll < 0.05:
            row["asps_id"] = f"X{index}"
        elif 0.05 <= roll < 0.06:
            row["provider"] = f"Regional Society {index % 10}"
        writer.writerow(row)
    return out.getvalue()


def import_seconds(text: str) -> tuple[float, object]:
    """Wall time of one meeting-credit import run, from recording the file to done."""
    from imports.models import ImportRun
    from imports.services import perform_run, run_create

    started = time.perf_counter()
    run = run_create(kind=ImportRun.Kind.MEETING_CREDITS, file_name="bench.csv", content=text)
    run = perform_run(run.pk)
    elapsed = time.perf_counter() - started
    if run.status != ImportRun.Status.DONE:
        raise RuntimeError(f"The import failed: {run.error}")
    return elapsed, run


def rowwise_seconds(text: str) -> float:
    """Wall time of the same import done the naive way: row by row, like
    ``services.entry_create`` (check_entry's provider and duplicate queries, full_clean, one
    INSERT each), plus the member and activity-code lookups a row-wise importer needs."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from credits import services
    from credits.models import CreditEntry, HeldMeetingCredit, Source
    from imports.reading import parse_date
    from members.models import Member

    started = time.perf_counter()
    with transaction.atomic():
        for row in csv.DictReader(io.StringIO(text)):
            member = Member.objects.filter(asps_id=row["asps_id"]).first()
            if member is None:
                continue
            if CreditEntry.objects.filter(
                member=member, activity_code=row["activity_code"]
            ).exists():
                continue
            if not row["evaluation_completed_on"]:
                HeldMeetingCredit.objects.update_or_create(
                    asps_id=row["asps_id"],
                    activity_code=row["activity_code"],
                    defaults={"row": row},
                )
                continue
            values = {
                "title": row["activity_title"],
                "activity_type": "live_activity",
                "category": row["category"],
                "provider": row["provider"],
                "start_date": parse_date(row["start_date"]),
                "end_date": parse_date(row["end_date"]),
                "credits": row["credits"],
                "patient_safety_credits": row["patient_safety_credits"],
                "patient_safety_kind": row["patient_safety_kind"],
                "plastic_surgery_credits": row["plastic_surgery_credits"],
                "city": member.city,
                "state": member.state,
                "country": member.country,
            }
            try:
                checked = services.check_entry(
                    member=member,
                    values=values,
                    source=Source.SOCIETY_IMPORT,
                    confirm_duplicate=True,
                )
            except ValidationError:
                continue
            if checked.provider is not None and checked.provider.pk is None:
                checked.provider.save()
            fields = {k: v for k, v in checked.values.items() if k != "provider"}
            entry = CreditEntry(
                member=member,
                provider=checked.provider,
                duplicate_of=checked.duplicate_of,
                source=Source.SOCIETY_IMPORT,
                activity_code=row["activity_code"],
                review_status=services.review_status_for(
                    source=Source.SOCIETY_IMPORT,
                    patient_safety_credits=fields["patient_safety_credits"],
                ),
                **fields,
            )
            entry.full_clean(exclude=["provider", "duplicate_of", "member"])
            entry.save()
    return time.perf_counter() - started


def measure_import(rows: int = 50_000, rowwise_sample: int = 2_000) -> dict[str, Metric]:
    """The set-based meeting-credit import of ``rows`` rows (5 rows per member) against its
    limit, the same file imported again (idempotent: nothing to create), and the speed-up
    over saving rows one by one.

    The row-wise time is not measured on all the rows (about 10 minutes on PostgreSQL): a
    sample of ``rowwise_sample`` other rows of the same kind is imported one by one and the
    time is extrapolated linearly to ``rows`` rows, which is fair because the row-wise cost
    per row does not fall with volume.
    """
    label = f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)
    members = import_members(max(1, rows // 5))
    text = meeting_csv(members, rows, code_prefix="PSTM25")
    seconds, run = import_seconds(text)
    again, _ = import_seconds(text)
    sample = min(rows, rowwise_sample)
    sample_text = meeting_csv(members, sample, code_prefix="ROWWISE", seed=IMPORT_SEED + 1)
    rowwise = rowwise_seconds(sample_text) * rows / sample
    print(
        f"import of {rows} rows: created {run.created}, held {run.held}, "
        f"rejected {run.rejected}, in {seconds:.2f} s; again in {again:.2f} s; "
        f"row by row ≈ {rowwise:.1f} s (from {sample} rows)"
    )
    return {
        f"import_{label}_s": {"value": round(seconds, 2), "unit": "s", "limit": 20},
        f"import_{label}_again_s": {"value": round(again, 2), "unit": "s", "limit": None},
        "import_vs_rowwise": {
            "value": round(rowwise / seconds, 1),
            "unit": "ratio",
            "limit": 10,
            "at_least": True,
        },
    }


def measure_bad_rows(rows: int = 1_000_000) -> dict[str, Metric]:
    """A meeting file of ``rows`` bad rows (2 bytes each: ~2 MB), imported by a fresh process
    as the worker would: it must stop at the rejected-rows cap, fast and in little memory."""
    from django.db import connection, transaction

    from credits.meeting_import import MEETING_REQUIRED
    from imports.models import ImportRun
    from imports.services import run_create

    header = ",".join(MEETING_REQUIRED)
    with transaction.atomic():
        run = run_create(
            kind=ImportRun.Kind.MEETING_CREDITS,
            file_name="bad.csv",
            content=header + "\n" + "x\n" * rows,
        )
    db = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "postgresql":  # the child opens the bench's test database
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    answer = subprocess.run(  # noqa: S603 - this interpreter, the bench's own script
        [sys.executable, str(ROOT / "bench" / "bad_import.py"), str(run.pk)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(answer.stdout.strip().splitlines()[-1])
    print(
        f"import of {rows} bad rows: {figures['status']} after {figures['rejected']} rejected "
        f"rows, in {figures['seconds']} s, peak {figures['peak_mb']} MB"
    )
    if figures["status"] != ImportRun.Status.STOPPED:
        raise RuntimeError(f"The import of bad rows was not stopped: {figures}")
    label = f"{rows // 1_000_000}m" if rows % 1_000_000 == 0 else str(rows)
    return {
        f"import_bad_{label}_s": {"value": figures["seconds"], "unit": "s", "limit": 10},
        f"import_bad_{label}_peak_mb": {"value": figures["peak_mb"], "unit": "MB", "limit": 200},
    }
