"""The nightly standing job measured over the load data, against the one SQL aggregate it
needs (``make bench BENCH_ARGS=standing``)."""

from __future__ import annotations

import datetime as dt
import os
import time

from bench.metrics import Metric, timed


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
    members: int = 20_000, entries_per_member: int = 50, seed: int = 1, *, workers: bool = False
) -> dict[str, Metric]:
    """``evaluate_standing`` over the load data, every member starting in good standing (a
    first run: each judged on the last ended cycle), against the SQL aggregate it needs; the
    next night, with nothing to change; the plain path (every member's make-up days
    measured) for comparison; and the job in chunks on one and on two real Celery workers
    (``bench.measure_workers``, with ``workers``: ``make bench`` asks for them unless
    ``BENCH_WORKERS=0``)."""
    from django.db import connection

    from bench.loaddata import ASPS_ID_PREFIX, LoadSize, ensure
    from bench.measure_workers import load_average
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
        load_members.update(
            standing="good",
            standing_since=None,
            standing_judged_from=None,
            standing_judged_to=None,
        )

    fresh()
    print(f"standing: the plain path (load {load_average()})", flush=True)
    started = time.perf_counter()
    standing_job.evaluate_standing(as_of=as_of, fast=False)
    plain = time.perf_counter() - started
    fresh()
    print(f"standing: the fast path (load {load_average()})", flush=True)
    started = time.perf_counter()
    run = standing_job.judge_members(as_of=as_of)
    judging = time.perf_counter() - started
    standing_job.check_summaries(run)  # the rest of the job: every compliance summary checked
    job = time.perf_counter() - started
    next_night = as_of + dt.timedelta(days=1)
    print(f"standing: the next night (load {load_average()})", flush=True)
    started = time.perf_counter()
    quiet = standing_job.judge_members(as_of=next_night)
    night = time.perf_counter() - started
    standing_job.check_summaries(quiet)
    night_job = time.perf_counter() - started
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
        f"{len(run.transitions)} changes, {job:.1f} s (judging {judging:.1f} s, plain path "
        f"{plain:.1f} s); the next night {len(quiet.transitions)} changes, judging "
        f"{night:.1f} s, with the summaries {night_job:.1f} s; "
        f"the SQL aggregate {sql_seconds:.2f} s"
    )
    metrics: dict[str, Metric] = {
        f"standing_{label}_s": {"value": round(job, 2), "unit": "s", "limit": 30},
        f"standing_{label}_plain_s": {"value": round(plain, 2), "unit": "s", "limit": None},
        "standing_quiet_night_s": {
            "value": round(night, 2),
            "unit": "s",
            "limit": 2,
            "measured": f"{len(quiet.transitions)} changes",
        },
        "standing_judging_s": {"value": round(judging, 2), "unit": "s", "limit": None},
        "standing_quiet_night_job_s": {"value": round(night_job, 2), "unit": "s", "limit": None},
        "standing_sql_s": {"value": round(sql_seconds, 4), "unit": "s", "limit": None},
        "standing_vs_sql": {
            "value": round(judging / sql_seconds, 1),
            "unit": "ratio",
            "limit": 3,
            "measured": f"the whole job {job / sql_seconds:.1f}",
        },
    }
    if workers:
        metrics.update(_on_workers(as_of, fresh))
        fresh()
    return metrics


def _on_workers(as_of: dt.date, fresh) -> dict[str, Metric]:
    from bench.measure_workers import load_average, standing_on_workers

    chunks = 8
    seconds = {}
    for count in (1, 2):
        before = load_average()
        seconds[count] = standing_on_workers(count, as_of, chunks, fresh)
        print(
            f"standing on {count} worker(s), {chunks} chunks: {seconds[count]:.1f} s "
            f"(load before {before}, after {load_average()})",
            flush=True,
        )
    return {
        "standing_1w_s": {"value": round(seconds[1], 2), "unit": "s", "limit": None},
        "standing_2w_s": {"value": round(seconds[2], 2), "unit": "s", "limit": None},
        "standing_2w_speedup": {
            "value": round(seconds[1] / seconds[2], 2),
            "unit": "ratio",
            "limit": 1.5,
            "at_least": True,
            "measured": f"load {load_average()} on {os.cpu_count()} cores",
        },
    }
