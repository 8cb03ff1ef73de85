"""``make bench``: measure what the issues promise, side by side with the limit.

Runs against a throw-away test database (PostgreSQL when DATABASE_URL points at it) and
writes ``var/bench.json`` as ``{"metric": {"value": ..., "unit": ..., "limit": ...}}``.
Measurements: the SQL queries of the dashboard at 10 and 1,000 entries; the dashboard and
the compliance API under concurrent load against a bare one-query view (gunicorn, 2 workers);
the CME report PDF at 300 and 1,000 entries (issue 4); the meeting credit import of 50,000
rows and its speed-up over saving rows one by one (issue 6); the nightly standing job over
20,000 members x 50 entries, against the one SQL aggregate it needs (issue 6). See
docs/performance.md.

The PDF, import, query and load figures use a throw-away test database (``test_<name>``), as
before, so that they stay comparable from run to run; the standing job uses the database of
DATABASE_URL itself, where the 20,000 members are generated once and kept (``bench.loaddata``
records the size and seed it holds), so a later run skips the generation.

``bench/run.py dashboard load pdf import standing`` runs only the groups named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmetrack.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

from bench.load import Address  # noqa: E402
from bench.records import member_with_entries  # noqa: E402

Metric = dict[str, object]


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def pdf_seconds(entries: int, repeat: int = 3, *, warm_up: bool = True) -> float:
    """Time to answer /reports/cme/pdf/ for a member with ``entries`` entries in the cycle."""
    client = Client()
    client.force_login(member_with_entries(entries).user)

    def render() -> None:
        response = client.get("/reports/cme/pdf/")
        if response.status_code != 200:
            raise RuntimeError(f"/reports/cme/pdf/ answered {response.status_code}")

    if warm_up:
        render()  # fonts and templates load once per process
    return timed(render, repeat)


def measure_pdf(
    small: int = 300, large: int = 1000, repeat: int = 3, *, warm_up: bool = True
) -> dict[str, Metric]:
    small_s = pdf_seconds(small, repeat, warm_up=warm_up)
    large_s = pdf_seconds(large, repeat, warm_up=warm_up)
    return {
        f"pdf_{small}_s": {"value": round(small_s, 3), "unit": "s", "limit": 2.0},
        f"pdf_{large}_s": {"value": round(large_s, 3), "unit": "s", "limit": None},
        "pdf_growth": {"value": round(large_s / small_s, 2), "unit": "ratio", "limit": 3.5},
    }


# --- Meeting credit import (issue 6) ---------------------------------------------------------

IMPORT_SEED = 20251010
SESSIONS_PER_ROUND = 60


def import_members(count: int) -> list:
    """``count`` members, inserted in bulk (their logins have unusable passwords)."""
    from django.contrib.auth.hashers import make_password

    from members.models import Member, User

    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", password=unusable) for n in range(count)],
        batch_size=2_000,
    )
    return Member.objects.bulk_create(
        [
            Member(
                user=user,
                asps_id=f"B{n:06}",
                first_name="Bench",
                last_name=f"Member {n}",
                joined_on=dt.date(2015, 6, 1),
                cycle_start=dt.date(2016, 1, 1),
                city="Chicago",
                state="IL",
            )
            for n, user in enumerate(users)
        ],
        batch_size=2_000,
    )


def meeting_csv(members: list, rows: int, *, code_prefix: str, seed: int = IMPORT_SEED) -> str:
    """A realistic meeting-credit file, the same for the same seed: each member attends a few
    sessions; about 4% of rows wait for the evaluation, 1% have a bad value or an unknown
    member, 1% name a provider nobody knows yet."""
    from credits.imports import MEETING_REQUIRED

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
    from credits.imports import import_credits
    from members.imports import perform_run, run_create
    from members.models import ImportRun

    started = time.perf_counter()
    run = run_create(kind=ImportRun.Kind.MEETING_CREDITS, file_name="bench.csv", content=text)
    run = perform_run(run.pk, import_credits)
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
    from members.imports import parse_date
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

    from credits.imports import MEETING_REQUIRED
    from members.imports import run_create
    from members.models import ImportRun

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


# --- The dashboard: queries, and latency under load (issue 9) -------------------------------


def dashboard_queries(entries: int) -> int:
    """Queries of one dashboard visit, counted as the tests count them (after the session's
    renewal, which is not the page's)."""
    from bench.queries import page_queries

    client = Client()
    client.force_login(member_with_entries(entries).user)
    return page_queries(client, "/")


def measure_dashboard_queries(small: int = 10, large: int = 1000) -> dict[str, Metric]:
    counts = {entries: dashboard_queries(entries) for entries in (small, large)}
    return {
        f"dashboard_queries_{entries}": {
            "value": count,
            "unit": "queries",
            "limit": counts[small],  # equal whatever the size
        }
        for entries, count in counts.items()
    }


def gunicorn_on_this_database() -> AbstractContextManager[Address]:
    """gunicorn (2 workers, ``DJANGO_DEBUG=0``, the bench URLs) on the database in use."""
    from django.conf import settings
    from django.db import connection

    from bench import load

    if connection.vendor != "postgresql":
        raise RuntimeError("the load test needs PostgreSQL (DATABASE_URL): gunicorn shares it")
    db = connection.settings_dict
    env = {
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    # DEBUG=0 serves static files from a manifest, which collectstatic writes under DEBUG=0.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    return load.gunicorn(env)


def measure_latency(
    seconds: float = 20,
    entries: int = 1000,
    *,
    server: Callable[[], AbstractContextManager[Address]] | None = None,
    concurrency: int = 4,
) -> dict[str, Metric]:
    """The dashboard and the compliance API of a member with ``entries`` entries, each under
    ``seconds`` of load, against the one-query baseline, measured one after the other on the
    same server: gunicorn with 2 workers unless ``server`` gives another one."""
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    from bench import load

    member = member_with_entries(entries)
    client = Client()
    client.force_login(member.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    token = {"Authorization": f"Token {Token.objects.create(user=member.user).key}"}
    with (server or gunicorn_on_this_database)() as address:
        for path, headers in (("/", cookie), ("/api/v1/compliance/", token)):
            status, _ = load.get(address, path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} under load")

        def measure(path: str, headers: dict[str, str], seconds: float) -> load.Latency:
            return load.load(address, path, headers, seconds=seconds, concurrency=concurrency)

        measure("/", cookie, seconds / 10)  # warm every worker
        baseline = measure("/bench/baseline/", {}, seconds)
        member_baseline = measure("/bench/baseline/member/", cookie, seconds)
        dashboard = measure("/", cookie, seconds)
        api = measure("/api/v1/compliance/", token, seconds)
    measured = {
        "baseline": baseline,
        "member baseline": member_baseline,
        "dashboard": dashboard,
        "api": api,
    }
    for name, figures in measured.items():
        print(f"{name}: {figures.requests} requests, {figures.errors} errors, {figures}")
    if any(figures.errors for figures in measured.values()):
        raise RuntimeError("some requests under load did not answer 200")
    return {
        "dashboard_p50_ms": {"value": dashboard.p50_ms, "unit": "ms", "limit": None},
        "dashboard_p95_ms": {"value": dashboard.p95_ms, "unit": "ms", "limit": None},
        "baseline_p50_ms": {"value": baseline.p50_ms, "unit": "ms", "limit": None},
        "baseline_p95_ms": {"value": baseline.p95_ms, "unit": "ms", "limit": None},
        "dashboard_vs_baseline_p50": {
            "value": round(dashboard.p50_ms / baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": 2,
        },
        # The floor of any logged-in page: the session read and saved, the user loaded.
        "member_baseline_p50_ms": {"value": member_baseline.p50_ms, "unit": "ms", "limit": None},
        "member_baseline_vs_baseline_p50": {
            "value": round(member_baseline.p50_ms / baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": None,
        },
        "dashboard_vs_member_baseline_p50": {
            "value": round(dashboard.p50_ms / member_baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": None,
        },
        "api_compliance_p50_ms": {"value": api.p50_ms, "unit": "ms", "limit": None},
        "api_compliance_vs_baseline_p50": {
            "value": round(api.p50_ms / baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": 2,
        },
    }


# --- The nightly standing job over 20,000 members (issues 6 and 9) -------------------------


def standing_sql(as_of: dt.date) -> tuple[str, list[object]]:
    """The one aggregate the job needs, in plain SQL: the totals (Category 1 and 2, plastic
    surgery, patient safety per kind and under review) of every member held to the
    requirement, over the last cycle that ended before ``as_of``.

    Members who share a cycle start share their cycles, so the windows are computed once per
    cycle start, as the job does, and given to one ``GROUP BY`` query.
    """
    from credits import rules
    from credits.models import CreditEntry, ReviewStatus
    from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Member

    windows, params = [], []
    # order_by(): Member's default ordering would make DISTINCT one row per member.
    cycle_starts = Member.objects.order_by("cycle_start").values_list("cycle_start", flat=True)
    for cycle_start in cycle_starts.distinct():
        ended = rules.current_cycle(cycle_start, as_of).previous()
        windows.append("(m.cycle_start = %s AND e.end_date BETWEEN %s AND %s)")
        params += [cycle_start, ended.start, ended.end]
    counts = f"e.review_status <> '{ReviewStatus.REJECTED}'"
    under_review = f"e.review_status IN ('{ReviewStatus.PENDING}', "
    under_review += f"'{ReviewStatus.DOCUMENTATION_REQUESTED}')"
    patient_safety = [
        f"SUM(CASE WHEN {counts} AND e.patient_safety_kind = '{kind.value}' "
        "THEN e.patient_safety_credits ELSE 0 END)"
        for kind in rules.PatientSafetyKind
    ]
    held = sorted(MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT)
    sql = f"""
        SELECT e.member_id,
               SUM(CASE WHEN e.category = 1 THEN e.credits ELSE 0 END),
               SUM(CASE WHEN e.category = 2 THEN e.credits ELSE 0 END),
               SUM(e.plastic_surgery_credits),
               {", ".join(patient_safety)},
               SUM(CASE WHEN {under_review} THEN e.patient_safety_credits ELSE 0 END),
               SUM(CASE WHEN {counts} AND e.category = 1
                   THEN e.patient_safety_credits ELSE 0 END),
               SUM(CASE WHEN {counts} AND e.category = 2
                   THEN e.patient_safety_credits ELSE 0 END)
        FROM {CreditEntry._meta.db_table} e
        JOIN {Member._meta.db_table} m ON m.id = e.member_id
        WHERE m.asps_member AND m.membership_type IN ({", ".join(["%s"] * len(held))})
          AND ({" OR ".join(windows) or "1 = 0"})
        GROUP BY e.member_id
    """  # noqa: S608 -- constants and placeholders only
    return sql, [*held, *params]


def measure_standing(
    members: int = 20_000, entries_per_member: int = 50, seed: int = 1
) -> dict[str, Metric]:
    """``evaluate_standing`` over the load data, every member starting in good standing (a
    first run: each judged on the last ended cycle), against the SQL aggregate it needs."""
    from django.db import connection

    from bench.loaddata import ASPS_ID_PREFIX, LoadSize, ensure
    from members.models import Member, StandingChange
    from reports import standing_job

    label = f"{members // 1000}k" if members % 1000 == 0 else str(members)
    size = LoadSize(members, entries_per_member, seed)
    started = time.perf_counter()
    generated = ensure(size)
    elapsed = time.perf_counter() - started
    print(f"load data: {size.label} " + (f"generated in {elapsed:.0f} s" if generated else "kept"))
    as_of = dt.date.today()
    load_members = Member.objects.filter(asps_id__startswith=ASPS_ID_PREFIX)

    def fresh() -> None:  # every run starts from good standing: the same work each time
        StandingChange.objects.filter(member__in=load_members).delete()
        load_members.update(standing="good", standing_since=None)

    fresh()
    started = time.perf_counter()
    run = standing_job.evaluate_standing(as_of=as_of)
    job = time.perf_counter() - started
    fresh()
    sql, params = standing_sql(as_of)

    def aggregate() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    aggregate()  # warm the cache as the job found it
    sql_seconds = timed(aggregate)
    print(
        f"standing: {run.members} members held to the requirement, "
        f"{len(run.transitions)} changes, {job:.1f} s; the SQL aggregate {sql_seconds:.2f} s"
    )
    return {
        f"standing_{label}_s": {"value": round(job, 2), "unit": "s", "limit": 30},
        "standing_sql_s": {"value": round(sql_seconds, 4), "unit": "s", "limit": None},
        "standing_vs_sql": {
            "value": round(job / sql_seconds, 1),
            "unit": "ratio",
            "limit": None,
        },
    }


def within_limit(metric: Metric) -> bool:
    """Most limits are maxima; a metric marked ``at_least`` must reach its limit instead."""
    if metric.get("at_least"):
        return metric["value"] >= metric["limit"]
    return metric["value"] <= metric["limit"]


def print_table(metrics: dict[str, Metric]) -> None:
    print(f"{'metric':<32} {'value':>10} {'unit':<7} {'limit':>6}  ok")
    for name, metric in metrics.items():
        limit = metric["limit"]
        ok = "" if limit is None else ("yes" if within_limit(metric) else "NO")
        shown = "" if limit is None else f"{'≥ ' if metric.get('at_least') else ''}{limit}"
        print(f"{name:<32} {metric['value']:>10} {metric['unit']:<7} {shown:>6}  {ok}")


def main() -> None:
    from django.core import mail
    from django.core.management import call_command

    started = time.perf_counter()
    only = set(sys.argv[1:])  # e.g. `bench/run.py standing`: some groups of measurements
    in_test_database = {
        "dashboard": measure_dashboard_queries,
        "load": lambda: measure_latency(float(os.environ.get("BENCH_LOAD_SECONDS", "20"))),
        "pdf": measure_pdf,
        "import": lambda: {**measure_import(), **measure_bad_rows()},
    }
    unknown = only - {*in_test_database, "standing"}
    if unknown:
        sys.exit(f"unknown groups {sorted(unknown)}; choose among {[*in_test_database]} standing")
    metrics: dict[str, Metric] = {}
    setup_test_environment()  # emails of the standing job go to a list, not to members
    try:
        if not only or only & set(in_test_database):
            old_config = setup_databases(verbosity=0, interactive=False)
            try:
                for group, measure in in_test_database.items():
                    if not only or group in only:
                        metrics.update(measure())
                        print_table(metrics)
            finally:
                teardown_databases(old_config, verbosity=0)
        if not only or "standing" in only:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
            metrics.update(measure_standing())
            mail.outbox = []
    finally:
        teardown_test_environment()
    print(f"\nbench/run.py took {time.perf_counter() - started:.0f} s")
    written = ROOT / "var" / "bench.json"
    written.parent.mkdir(exist_ok=True)
    if only and written.exists():  # a partial run updates its own figures only
        metrics = {**json.loads(written.read_text()), **metrics}
    written.write_text(json.dumps(metrics, indent=2) + "\n")
    print_table(metrics)
    print(f"\nWritten to {written.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
