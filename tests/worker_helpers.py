"""A real Celery worker for a test: on the test's database and a queue of its own (CI)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def celery_worker(**env: str) -> Iterator[str]:
    """Start a worker on the test database, listening on a queue no other worker takes; yield
    the queue's name; stop the worker after. ``env`` adds to the worker's environment."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, **env)
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def worker_database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_worker(queue: str, **env: str) -> subprocess.Popen:
    """A worker process (solo pool) on the test database taking tasks from ``queue``; the
    caller stops it (or kills it)."""
    require_service(bool(settings.CELERY_BROKER_URL), "a Celery broker (CELERY_BROKER_URL)")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    command = [sys.executable, "-m", "celery", "-A", "cmetrack", "worker", "--pool=solo"]
    command += ["--concurrency=1", "--loglevel=WARNING", "-Q", queue]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": worker_database_url(), **env},
        stdout=subprocess.DEVNULL,
    )


def wait_until(done: Callable[[], bool], seconds: float = 60) -> None:
    """Poll ``done`` every half second until it is true or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        time.sleep(0.5)
