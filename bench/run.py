"""``make bench``: measure what we promise, side by side with the limit.

Runs against a throw-away test database (PostgreSQL when DATABASE_URL points at it) and
writes ``var/bench.json`` as ``{"metric": {"value": ..., "unit": ..., "limit": ...}}``.
Measurements: the SQL queries of the dashboard at 10 and 1,000 entries; the dashboard and
the compliance API under concurrent load against a bare one-query view (gunicorn, 2 workers);
the CME report PDF at 300 and 1,000 entries; the meeting credit import of 50,000 rows
and its speed-up over saving rows one by one (``bench.measure_import``); the catalogue import
of 10,000 activities and its re-run (``bench.measure_catalogue``); the nightly
standing job over 20,000 members x 50 entries, against the one SQL aggregate it needs
(``bench.measure_standing``); the staff review queue at 5,000 pending claims
(``bench.measure_queue``); the staff's view of the membership over the load data (the
compliance summaries' refresh, the overview, the at-risk list of the API and its queries
against a membership of 10, the export, the group reminder: ``bench.measure_staff``); the
certificate reader over its corpus, which needs no database (``bench.measure_certificates``,
docs/certificate-reading.md). See docs/performance.md.

The PDF, import, query and load figures use a throw-away test database (``test_<name>``), as
before, so that they stay comparable from run to run; the standing job and the staff's view
use the database of DATABASE_URL itself, where the 20,000 members are generated once and kept
(``bench.loaddata`` records the size and seed it holds), so a later run skips the generation.

``bench/run.py dashboard load pdf import catalogue queue standing staff certificates`` runs only
the groups named. Each group prints a line when it starts, a heartbeat every 15 s while it runs
(seconds spent, memory held), and its time and peak resident memory when it ends
(``phase_<group>_s``, ``phase_<group>_peak_mb``: ``bench.memory``). ``bench/run.py big``
(only when named) measures 100,000 members x 20 entries in a database of its own
(``bench.measure_big``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
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

from bench import memory  # noqa: E402
from bench.load import Address  # noqa: E402
from bench.measure_catalogue import measure_catalogue_import  # noqa: E402
from bench.measure_certificates import measure_certificates  # noqa: E402
from bench.measure_import import import_members, measure_bad_rows, measure_import  # noqa: E402
from bench.measure_import_peak import measure_import_peak  # noqa: E402
from bench.measure_queue import measure_queue  # noqa: E402
from bench.measure_staff import (  # noqa: E402
    measure_staff,
    measure_staff_queries,
    queries_constant,
)
from bench.measure_standing import measure_standing, standing_sql  # noqa: E402
from bench.metrics import Metric, print_table, timed, within_limit  # noqa: E402
from bench.records import member_with_entries  # noqa: E402

# What the tests and other scripts use from here.
__all__ = [
    "import_members",
    "main",
    "measure_bad_rows",
    "measure_catalogue_import",
    "measure_certificates",
    "measure_dashboard_queries",
    "measure_import",
    "measure_latency",
    "measure_pdf",
    "measure_queue",
    "measure_staff",
    "measure_staff_queries",
    "measure_standing",
    "standing_sql",
    "within_limit",
]


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


# --- The dashboard: queries, and latency under load ------------------------------------------


def dashboard_queries(entries: int) -> int:
    """Queries of one dashboard visit, counted as the tests count them (after the session's
    renewal, which is not the page's). The entries claim no patient safety, so that the member
    is short of it whatever their number and the page shows its most: "Ways to earn
    patient-safety credits" reads the catalogue only for a member short of them."""
    from bench.queries import page_queries

    client = Client()
    client.force_login(member_with_entries(entries, patient_safety=Decimal("0")).user)
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
    from credits import compliance_summary_services

    member = member_with_entries(entries)
    # The entries were inserted in bulk, past the write paths: their summary rows written as
    # the nightly check would write them, so that the member is like any other (the
    # dashboard's and the API's cache are keyed by those rows: credits/summary_cache.py).
    compliance_summary_services.refresh([member.pk])
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
        token_baseline = measure("/bench/baseline/token/", token, seconds)
        dashboard = measure("/", cookie, seconds)
        api = measure("/api/v1/compliance/", token, seconds)
    measured = {
        "baseline": baseline,
        "member baseline": member_baseline,
        "token baseline": token_baseline,
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
            "limit": 3,
        },
        # The floor of any API call with a token: the token looked up, the user loaded.
        "token_baseline_p50_ms": {"value": token_baseline.p50_ms, "unit": "ms", "limit": None},
        "api_compliance_p50_ms": {"value": api.p50_ms, "unit": "ms", "limit": None},
        "api_compliance_vs_baseline_p50": {
            "value": round(api.p50_ms / baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": 2,
        },
        "api_compliance_vs_token_baseline_p50": {
            "value": round(api.p50_ms / token_baseline.p50_ms, 2),
            "unit": "ratio",
            "limit": 2,
        },
    }


def run_group(group: str, measure: Callable[[], dict[str, Metric]]) -> dict[str, Metric]:
    """One group of measurements, with a heartbeat while it runs, its time and its peak
    resident memory (``bench.memory``: reset at the start of the group) as figures."""
    reset = memory.reset_peak()
    begun = time.perf_counter()
    with memory.heartbeat(group):
        figures = measure()
    seconds = time.perf_counter() - begun
    peak = memory.peak_mb()
    print(f"-- {group}: {len(figures)} figures in {seconds:.0f} s, peak {peak} MB resident")
    return {
        **figures,
        f"phase_{group}_s": {"value": round(seconds, 1), "unit": "s", "limit": None},
        f"phase_{group}_peak_mb": {
            "value": peak,
            "unit": "MB",
            "limit": None,
            "measured": "peak resident set of the group"
            if reset
            else "peak resident set of the process so far (no reset on this OS)",
        },
    }


def measure_big_in_child() -> dict[str, Metric]:
    """``bench.measure_big`` in a child process on its own database (BENCH_100K_DATABASE_URL):
    its output is shown as it comes, its figures are its last line (JSON)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.measure_big"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    last = ""
    for line in child.stdout or []:
        print(line, end="", flush=True)
        last = line if line.strip() else last
    if child.wait() != 0:
        raise RuntimeError(f"bench.measure_big failed ({child.returncode})")
    return json.loads(last)


def phase(group: str, where: str, started: float) -> None:
    elapsed = time.perf_counter() - started
    print(f"\n== {group} (in {where}), {elapsed:.0f} s since the start ==", flush=True)


def main() -> None:
    from django.core import mail
    from django.core.management import call_command

    started = time.perf_counter()
    only = set(sys.argv[1:])  # e.g. `bench/run.py standing`: some groups of measurements
    in_test_database = {
        "dashboard": measure_dashboard_queries,
        "load": lambda: measure_latency(float(os.environ.get("BENCH_LOAD_SECONDS", "20"))),
        "pdf": measure_pdf,
        "import": lambda: {**measure_import(), **measure_bad_rows(), **measure_import_peak()},
        "catalogue": measure_catalogue_import,
        "queue": measure_queue,
        "staff": measure_staff_queries,  # the small membership; the 20,000 are measured below
    }
    in_load_database = {
        "standing": lambda: measure_standing(workers=os.environ.get("BENCH_WORKERS") != "0"),
        "staff": measure_staff,
    }
    without_database = {"certificates": measure_certificates}
    unknown = only - {*in_test_database, *in_load_database, *without_database, "big"}
    if unknown:
        groups = sorted({*in_test_database, *in_load_database, *without_database, "big"})
        sys.exit(f"unknown groups {sorted(unknown)}; choose among {groups}")
    metrics: dict[str, Metric] = {}
    setup_test_environment()  # emails of the standing job go to a list, not to members
    try:
        if not only or only & set(in_test_database):
            old_config = setup_databases(verbosity=0, interactive=False)
            try:
                for group, measure in in_test_database.items():
                    if not only or group in only:
                        phase(group, "the throw-away test database", started)
                        metrics.update(run_group(group, measure))
                        print_table(metrics)
            finally:
                teardown_databases(old_config, verbosity=0)
        if not only or only & set(in_load_database):
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
            for group, measure in in_load_database.items():
                if not only or group in only:
                    phase(group, "the load database (DATABASE_URL)", started)
                    metrics.update(run_group(group, measure))
                    mail.outbox = []
                    print_table(metrics)
        for group, measure in without_database.items():
            if not only or group in only:
                phase(group, "no database", started)
                metrics.update(run_group(group, measure))
                print_table(metrics)
        if "big" in only:  # only when asked: BENCH_ARGS=big (docs/performance.md)
            phase("big", "BENCH_100K_DATABASE_URL, a child process", started)
            metrics.update(run_group("big", measure_big_in_child))
            print_table(metrics)
    finally:
        teardown_test_environment()
    print(f"\nbench/run.py took {time.perf_counter() - started:.0f} s")
    written = ROOT / "var" / "bench.json"
    written.parent.mkdir(exist_ok=True)
    if only and written.exists():  # a partial run updates its own figures only
        metrics = {**json.loads(written.read_text()), **metrics}
    queries_constant(metrics, "staff_at_risk_queries_10", "staff_at_risk_queries_20k")
    written.write_text(json.dumps(metrics, indent=2) + "\n")
    print_table(metrics)
    print(f"\nWritten to {written.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
