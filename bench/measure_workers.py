"""The standing job on one and on two real Celery workers (``reports.standing_chunks``):
worker processes started here, on the load database and a Redis broker of the bench's own
(``BENCH_BROKER_URL``, default Redis db 13)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CELERY_WORKER = [sys.executable, "-m", "celery", "-A", "cmetrack", "worker", "-c", "1"]
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextlib.contextmanager
def workers(count: int) -> Iterator[str]:
    """``count`` worker processes (``celery -A cmetrack worker -c 1`` each) on a queue of
    their own; yield the queue's name once every one answers a ping; stop them after."""
    from cmetrack.celery import app

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_URL": "memorymail://",  # as the bench's own process: emails go to a list
    }
    names = [f"{queue}-{n}@bench" for n in range(count)]
    processes = [
        subprocess.Popen(  # noqa: S603 -- a fixed command, the queue name made here
            [*CELERY_WORKER, "--loglevel=WARNING", "-Q", queue, "-n", name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for name in names
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            answered = app.control.ping(destination=names, timeout=1.0)
            if len(answered) == count:
                break
        else:
            raise RuntimeError(f"{count} Celery workers did not start in 2 minutes")
        yield queue
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


@contextlib.contextmanager
def real_broker() -> Iterator[None]:
    """Send tasks to the bench's broker instead of running them in-process."""
    from cmetrack.celery import app

    before = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = BROKER, False
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def standing_on_workers(
    count: int, as_of: dt.date, chunks: int, fresh: Callable[[], None]
) -> float:
    """Seconds from queueing the standing job to its last chunk done, on ``count`` workers,
    every member starting from good standing (``fresh``)."""
    from reports import tasks
    from reports.models import StandingJobRun

    with real_broker(), workers(count) as queue:
        fresh()
        latest = StandingJobRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        started = time.perf_counter()
        tasks.evaluate_standing.apply_async(args=[as_of.isoformat(), chunks], queue=queue)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            run = StandingJobRun.objects.filter(pk__gt=latest).first()
            if run is not None and run.status == StandingJobRun.Status.DONE:
                return time.perf_counter() - started
            time.sleep(0.1)
        raise RuntimeError(f"the standing job on {count} workers did not finish in 10 minutes")
