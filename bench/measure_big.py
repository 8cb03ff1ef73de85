"""The big group: 100,000 members x 20 entries (2,000,000 entries) in a database of its own.

    BENCH_100K_DATABASE_URL=postgres://… python -m bench.measure_big

``bench/run.py big`` runs this module in a child process with ``DATABASE_URL`` set to
``BENCH_100K_DATABASE_URL`` (default ``…/cmetrack_bench100k``), so that the 20,000-member
bench database is left as it is. The load data is generated once (``bench.loaddata.ensure``:
COPY for the entries) and kept; the child prints its figures as one JSON line at the end.

Figures: the generation (when it ran), the standing job over the 100,000 members through its
entry point (``reports.standing_job.evaluate_standing``, every member starting in good
standing), the refresh of every compliance summary the staff pages read, and the staff
overview ``/staff/`` for CME staff (median of 5 through Django's test client).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://cmetrack:cmetrack@127.0.0.1:5432/cmetrack_bench100k"
MEMBERS, ENTRIES_PER_MEMBER, SEED = 100_000, 20, 1


def peak_resident_mb() -> float:
    """This process's peak resident memory (``VmHWM``; the process is the big group's own)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def progress(message: str, started: float) -> None:
    elapsed = time.perf_counter() - started
    print(f"[big] {elapsed:6.1f} s  {message}", flush=True)


def create_database(url: str) -> None:
    """Create the database of ``url`` if it is missing (as ``make bench`` does for its own)."""
    import environ
    import psycopg2

    db = environ.Env.db_url_config(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    connection.close()


def measure_big(
    members: int = MEMBERS,
    entries_per_member: int = ENTRIES_PER_MEMBER,
    repeat: int = 5,
    *,
    prepare: bool = True,
) -> dict[str, dict[str, object]]:
    """The figures over ``members`` x ``entries_per_member`` in the database in use;
    ``prepare`` migrates it first (a new database)."""
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    from bench.loaddata import ASPS_ID_PREFIX, LoadSize, ensure
    from bench.measure_staff import cme_staff, measure_overview, page_client
    from credits import compliance_summary_services
    from members.models import Member, StandingChange
    from reports import standing_job

    started = time.perf_counter()
    label = f"{members // 1000}k" if members % 1000 == 0 else str(members)
    if prepare:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
    size = LoadSize(members, entries_per_member, SEED)
    progress(f"load data {size.label}: generating unless kept…", started)
    begun = time.perf_counter()
    generated = ensure(size)
    generate_s = time.perf_counter() - begun
    progress(f"load data {'generated' if generated else 'kept'} in {generate_s:.1f} s", started)
    metrics: dict[str, dict[str, object]] = {}
    if generated:
        metrics[f"generate_{label}_s"] = {
            "value": round(generate_s, 1),
            "unit": "s",
            "limit": None,
            "measured": f"{members} members x {entries_per_member} entries, COPY",
        }

    as_of = dt.date.today()
    load_members = Member.objects.filter(asps_id__startswith=ASPS_ID_PREFIX)
    StandingChange.objects.filter(member__in=load_members).delete()
    load_members.update(
        standing="good", standing_since=None, standing_judged_from=None, standing_judged_to=None
    )
    progress("standing job (evaluate_standing), every member in good standing…", started)
    begun = time.perf_counter()
    run = standing_job.evaluate_standing(as_of=as_of)
    standing_s = time.perf_counter() - begun
    mail.outbox = []
    progress(
        f"standing: {run.members} members held, {len(run.transitions)} changes, {standing_s:.1f} s",
        started,
    )
    metrics[f"standing_{label}_s"] = {"value": round(standing_s, 2), "unit": "s", "limit": None}

    today = timezone.localdate()
    progress("refresh of every compliance summary…", started)
    begun = time.perf_counter()
    written = compliance_summary_services.refresh(today=today)
    refresh_s = time.perf_counter() - begun
    progress(f"refresh: {written} summaries in {refresh_s:.1f} s", started)
    metrics[f"compliance_refresh_{label}_s"] = {
        "value": round(refresh_s, 2),
        "unit": "s",
        "limit": None,
    }

    progress(f"staff overview /staff/ (median of {repeat})…", started)
    overview = measure_overview(page_client(cme_staff()), today, repeat)
    metrics[f"staff_overview_{label}_ms"] = {**overview, "limit": None}
    progress(f"staff overview: {overview['value']} ms", started)
    metrics[f"big_{label}_peak_mb"] = {"value": peak_resident_mb(), "unit": "MB", "limit": None}
    return metrics


def main() -> None:
    url = os.environ.get("BENCH_100K_DATABASE_URL", DEFAULT_URL)
    create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmetrack.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the standing job's emails go to a list, not to members
    members = int(os.environ.get("BENCH_BIG_MEMBERS", MEMBERS))
    print(json.dumps(measure_big(members)), flush=True)


if __name__ == "__main__":
    main()
