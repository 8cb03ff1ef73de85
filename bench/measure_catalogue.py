"""The activity catalogue import measured: a file of 10,000 activities, then the same file
again (``make bench BENCH_ARGS=catalogue``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import time

from bench.metrics import Metric

CATALOGUE_SEED = 20251012
# Providers of the data migration, by abbreviation, name or none (a journal's article).
PROVIDERS = ("ASPS", "ASAPS", "CSPS", "AAHS", "ASSH", "ASRM", "ASMS", "IHI", "ACS", "")
CONTENT_AREAS = (
    "cosmetic",
    "breast",
    "craniomaxillofacial",
    "reconstruction",
    "microsurgery",
    "practice_management",
    "emerging_trends",
)


def catalogue_csv(activities: int, *, seed: int = CATALOGUE_SEED, prefix: str = "CAT") -> str:
    """A catalogue file of ``activities`` rows with every column, the same for the same seed:
    about one activity in five is a meeting whose 2 to 4 parts follow it; one in twenty is a
    patient-safety resource; designations, dates and places mostly filled in."""
    from credits.catalogue_rows import CATALOGUE_OPTIONAL, CATALOGUE_REQUIRED

    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=(*CATALOGUE_REQUIRED, *CATALOGUE_OPTIONAL), lineterminator="\n"
    )
    writer.writeheader()
    written = 0
    while written < activities:
        number = written
        day = dt.date(2024, 1, 8) + dt.timedelta(days=rng.randrange(900))
        maximum = rng.randrange(4, 160) / 4
        resource = rng.random() < 0.05
        whole = {
            "code": f"{prefix}-{number:06}",
            "title": f"{'Patient safety module' if resource else 'Plastic surgery meeting'} "
            f"{number}",
            "kind": "resource" if resource else "activity",
            "part_of": "",
            "provider": rng.choice(PROVIDERS),
            "activity_type": "enduring_material" if resource else "live_activity",
            "category": "1",
            "start_date": "" if resource else day.isoformat(),
            "end_date": "" if resource else (day + dt.timedelta(days=rng.randrange(4))).isoformat(),
            "city": "" if resource else "Chicago",
            "state": "" if resource else "IL",
            "country": "" if resource else "United States",
            "max_credits": str(maximum) if rng.random() < 0.9 else "",
            "patient_safety_credits": str(min(maximum, rng.randrange(0, 13) / 4)),
            "patient_safety_kind": rng.choice(("general", "general", "quality_assurance")),
            "plastic_surgery_credits": str(maximum),
            "content_areas": ";".join(rng.sample(CONTENT_AREAS, rng.randrange(3))),
            "url": f"https://education.example.org/activities/{number}",
            "active": "yes" if rng.random() < 0.95 else "no",
        }
        writer.writerow(whole)
        written += 1
        parts = rng.randrange(2, 5) if not resource and rng.random() < 0.2 else 0
        for part in range(min(parts, activities - written)):
            share = rng.randrange(1, int(maximum * 4) + 1) / 4
            writer.writerow(
                {
                    **whole,
                    "code": f"{whole['code']}-P{part}",
                    "title": f"Session {part}",
                    "part_of": whole["code"],
                    "max_credits": str(share),
                    "patient_safety_credits": "",
                    "plastic_surgery_credits": str(share),
                }
            )
            written += 1
    return out.getvalue()


def catalogue_import_seconds(text: str) -> tuple[float, object]:
    """Wall time of one catalogue import run, from recording the file to done."""
    from imports.models import ImportRun
    from imports.services import perform_run, run_create

    started = time.perf_counter()
    run = run_create(kind=ImportRun.Kind.CATALOGUE, file_name="catalogue.csv", content=text)
    run = perform_run(run.pk)
    elapsed = time.perf_counter() - started
    if run.status != ImportRun.Status.DONE:
        raise RuntimeError(f"The catalogue import failed: {run.error}")
    return elapsed, run


def measure_catalogue_import(activities: int = 10_000) -> dict[str, Metric]:
    """The catalogue import of ``activities`` rows against its limit, and the same file
    again (idempotent: every row unchanged, nothing written)."""
    label = f"{activities // 1000}k" if activities % 1000 == 0 else str(activities)
    text = catalogue_csv(activities)
    cpu = time.process_time()
    seconds, run = catalogue_import_seconds(text)
    cpu_again = time.process_time()
    again, rerun = catalogue_import_seconds(text)
    cpu, cpu_again = cpu_again - cpu, time.process_time() - cpu_again
    if (run.created, run.rejected, rerun.unchanged) != (activities, 0, activities):
        raise RuntimeError(
            f"The catalogue import did not count as expected: created {run.created}, rejected "
            f"{run.rejected}, then unchanged {rerun.unchanged} of {activities}."
        )
    print(
        f"catalogue import of {activities} activities: created {run.created} in {seconds:.2f} s "
        f"(cpu {cpu:.2f} s); again, all unchanged, in {again:.2f} s (cpu {cpu_again:.2f} s)"
    )
    return {
        f"catalogue_import_{label}_s": {"value": round(seconds, 2), "unit": "s", "limit": 10},
        f"catalogue_import_{label}_again_s": {"value": round(again, 2), "unit": "s", "limit": None},
    }
