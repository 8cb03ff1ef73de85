"""``make bench``: measure what the issues promise, side by side with the limit.

Runs against a throw-away test database (PostgreSQL when DATABASE_URL points at it) and
writes ``var/bench.json`` as ``{"metric": {"value": ..., "unit": ..., "limit": ...}}``.
Measurements: the SQL queries of the dashboard at 10 and 1,000 entries; the dashboard and
the compliance API under concurrent load against a bare one-query view (gunicorn, 2 workers);
the CME report PDF at 300 and 1,000 entries (issue 4); the meeting credit import of 50,000
rows and its speed-up over saving rows one by one (issue 6); the nightly standing job over
20,000 members x 50 entries, against the one SQL aggregate it needs (issue 6). See
docs/performance.md.

The PDF, import, query and load figures use a throw-away test database; the standing job
uses the database of DATABASE_URL, where the 20,000 members are generated once and kept
(``generate_load_data``), so a second run skips the generation.
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

Metric = dict[str, object]


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def pdf_seconds(entries: int, repeat: int = 3) -> float:
    """Time to answer /reports/cme/pdf/ for a member with ``entries`` entries in the cycle."""
    from tests.factories import CreditEntryFactory, MemberFactory

    member = MemberFactory()
    CreditEntryFactory.create_in_bulk(entries, member=member)
    client = Client()
    client.force_login(member.user)

    def render() -> None:
        response = client.get("/reports/cme/pdf/")
        if response.status_code != 200:
            raise RuntimeError(f"/reports/cme/pdf/ answered {response.status_code}")

    render()  # warm up fonts and templates
    return timed(render, repeat)


def measure_pdf(small: int = 300, large: int = 1000, repeat: int = 3) -> dict[str, Metric]:
    small_s, large_s = pdf_seconds(small, repeat), pdf_seconds(large, repeat)
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


# --- The dashboard: queries, and latency under load (issue 9) -------------------------------


def member_with_entries(entries: int):
    from tests.factories import CreditEntryFactory, MemberFactory

    member = MemberFactory()
    CreditEntryFactory.create_in_bulk(entries, member=member)
    return member


def dashboard_queries(entries: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(member_with_entries(entries).user)
    client.get("/")  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        if client.get("/").status_code != 200:
            raise RuntimeError("the dashboard did not answer 200")
    return len(queries)


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


def measure_latency(seconds: float = 20, entries: int = 1000) -> dict[str, Metric]:
    """The dashboard and the compliance API of a member with ``entries`` entries, each under
    ``seconds`` of load, against the one-query baseline, on gunicorn with 2 workers."""
    from django.conf import settings
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from bench import load

    if connection.vendor != "postgresql":
        raise RuntimeError("the load test needs PostgreSQL (DATABASE_URL): gunicorn shares it")
    member = member_with_entries(entries)
    client = Client()
    client.force_login(member.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    token = {"Authorization": f"Token {Token.objects.create(user=member.user).key}"}
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
    with load.gunicorn(env) as port:
        for path, headers in (("/", cookie), ("/api/v1/compliance/", token)):
            status, _ = load.get(port, path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} under gunicorn")
        load.load(port, "/", cookie, seconds=2)  # warm both workers
        baseline = load.load(port, "/bench/baseline/", {}, seconds=seconds)
        dashboard = load.load(port, "/", cookie, seconds=seconds)
        api = load.load(port, "/api/v1/compliance/", token, seconds=seconds)
    for name, figures in (("baseline", baseline), ("dashboard", dashboard), ("api", api)):
        print(f"{name}: {figures.requests} requests, {figures.errors} errors, {figures}")
    if dashboard.errors or api.errors or baseline.errors:
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
        "api_compliance_p50_ms": {"value": api.p50_ms, "unit": "ms", "limit": None},
        "api_compliance_vs_baseline_p50": {
            "value": round(api.p50_ms / baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": 2,
        },
    }


# --- The nightly standing job over 20,000 members (issues 6 and 9) -------------------------

# The one aggregate the job needs: every member's totals over the last cycle that ended.
STANDING_SQL = """
WITH windows AS (
    SELECT id, cycle_start + make_interval(
        years => 3 * ((extract(year FROM age(%(as_of)s::date, cycle_start))::int) / 3)
    ) AS current_start
    FROM members_member
)
SELECT e.member_id,
       sum(e.credits) FILTER (WHERE e.category = 1),
       sum(e.credits) FILTER (WHERE e.category = 2),
       sum(e.plastic_surgery_credits),
       sum(e.patient_safety_credits) FILTER (WHERE e.review_status <> 'rejected')
FROM credits_creditentry e JOIN windows w ON w.id = e.member_id
WHERE e.end_date >= w.current_start - interval '3 years' AND e.end_date < w.current_start
GROUP BY e.member_id
"""


def ensure_load_data(members: int, entries_per_member: int, seed: int) -> None:
    """Generate the standing job's members once; later runs find them (a cache entry marks
    which size and seed the database holds)."""
    from django.core.cache import cache

    from bench.loaddata import LoadSize, generate
    from members.models import Member

    size = LoadSize(members, entries_per_member, seed)
    held = Member.objects.filter(asps_id__startswith="L").count()
    if cache.get("bench:load-data") == size.label and held == members:
        print(f"load data: {size.label} already in the database")
        return
    if held:
        raise RuntimeError(
            f"the database holds other load data ({held} members); drop it or use another "
            "DATABASE_URL"
        )
    started = time.perf_counter()
    generate(size)
    cache.set("bench:load-data", size.label, timeout=None)
    print(f"load data: {size.label} generated in {time.perf_counter() - started:.0f} s")


def measure_standing(
    members: int = 20_000, entries_per_member: int = 50, seed: int = 1
) -> dict[str, Metric]:
    from django.db import connection

    from members.models import Member, StandingChange
    from reports import standing_job

    label = f"{members // 1000}k" if members % 1000 == 0 else str(members)
    ensure_load_data(members, entries_per_member, seed)
    as_of = dt.date.today()

    def fresh() -> None:  # every run starts from good standing: the same work each time
        StandingChange.objects.filter(member__asps_id__startswith="L").delete()
        Member.objects.filter(asps_id__startswith="L").update(standing="good", standing_since=None)

    fresh()
    started = time.perf_counter()
    run = standing_job.evaluate_standing(as_of=as_of)
    job = time.perf_counter() - started
    fresh()

    def aggregate() -> None:
        with connection.cursor() as cursor:
            cursor.execute(STANDING_SQL, {"as_of": as_of})
            cursor.fetchall()

    aggregate()  # warm the cache as the job found it
    sql = timed(aggregate)
    changes = len(run.transitions)
    print(f"standing: {run.members} members, {changes} changes, {job:.1f} s; SQL {sql:.2f} s")
    return {
        f"standing_{label}_s": {"value": round(job, 2), "unit": "s", "limit": 30},
        "standing_sql_s": {"value": round(sql, 3), "unit": "s", "limit": None},
        "standing_vs_sql": {"value": round(job / sql, 1), "unit": "ratio", "limit": None},
    }


def within_limit(metric: Metric) -> bool:
    """Most limits are maxima; a metric marked ``at_least`` must reach its limit instead."""
    if metric.get("at_least"):
        return metric["value"] >= metric["limit"]
    return metric["value"] <= metric["limit"]


def print_table(metrics: dict[str, Metric]) -> None:
    print(f"{'metric':<24} {'value':>10} {'unit':<6} {'limit':>8}  ok")
    for name, metric in metrics.items():
        limit = metric["limit"]
        ok = "" if limit is None else ("yes" if within_limit(metric) else "NO")
        shown = "" if limit is None else f"{'≥ ' if metric.get('at_least') else ''}{limit}"
        print(f"{name:<24} {metric['value']:>10} {metric['unit']:<6} {shown:>8}  {ok}")


def main() -> None:
    from django.core import mail
    from django.core.management import call_command

    started = time.perf_counter()
    only = set(sys.argv[1:])  # e.g. `bench/run.py standing`: one group of measurements
    setup_test_environment()  # emails of the standing job go to a list, not to members
    old_config = setup_databases(verbosity=0, interactive=False)
    metrics: dict[str, Metric] = {}
    try:
        for group, measure in (
            ("dashboard", measure_dashboard_queries),
            ("load", lambda: measure_latency(float(os.environ.get("BENCH_LOAD_SECONDS", "20")))),
            ("pdf", measure_pdf),
            ("import", measure_import),
        ):
            if not only or group in only:
                metrics.update(measure())
                print_table(metrics)
    finally:
        teardown_databases(old_config, verbosity=0)
    try:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not only or "standing" in only:
            metrics.update(measure_standing())
        mail.outbox = []
    finally:
        teardown_test_environment()
    print(f"\nmake bench took {time.perf_counter() - started:.0f} s")
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print_table(metrics)
    print("\nWritten to var/bench.json")


if __name__ == "__main__":
    main()
