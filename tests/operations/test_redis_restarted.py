"""Redis restarted (CI: a throwaway server, never the shared one): logins during the outage fail
cleanly (503), then logins and their rate limits work again by themselves; beat goes on
sending its schedule; no task the broker had accepted is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from cmetrack.celery import app
from tests.factories import UserFactory
from tests.operations.throwaway import redis_server, web_server
from tests.worker_helpers import ROOT, worker_database_url

PASSWORD = "a-long-drill-password-42"
TASKS = 20
# The queue tests/operations/beat_app.py sends to (not imported: it changes the app's schedule).
BEAT_QUEUE = "beat-drill"


def login(base: str, email: str, password: str = PASSWORD) -> int:
    answer = requests.post(
        f"{base}/api/v1/auth/token/", json={"email": email, "password": password}, timeout=30
    )
    return answer.status_code


@pytest.mark.redis
@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_redis_restart_logins_rate_limits_beat_and_queued_tasks_go_on(
    postgres, tmp_path, capsys
):
    # The server checks passwords with the production hasher (the suite's is a fast one).
    encoded = PBKDF2PasswordHasher().encode(PASSWORD, "drillsalt", iterations=1000)
    for email in ("one@example.org", "two@example.org"):
        UserFactory(email=email).__class__.objects.filter(email=email).update(password=encoded)
    with redis_server() as server:
        broker = redis.Redis.from_url(f"{server.url}/0")
        env = {
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": f"{server.url}/1",
            "CELERY_BROKER_URL": f"{server.url}/0",
            "API_TOKEN_RATE": "100/minute",
        }
        command = [sys.executable, "-m", "celery", "-A", "tests.operations.beat_app", "beat"]
        command += ["--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1"]
        beat = subprocess.Popen(
            [*command, "--loglevel", "ERROR"],
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, **env},
        )
        try:
            with web_server(**env) as base:
                assert login(base, "one@example.org") == 200
                with app.connection_for_write(f"{server.url}/0") as connection:
                    for n in range(TASKS):
                        app.send_task(
                            "imports.run_import", args=[n], queue="kept", connection=connection
                        )
                _wait(lambda: broker.llen(BEAT_QUEUE) >= 2)
                sent_before = broker.llen(BEAT_QUEUE)

                server.stop()
                down_at = time.monotonic()
                during = login(base, "one@example.org")
                time.sleep(1)
                server.start()
                up_at = time.monotonic()

                after = login(base, "one@example.org")
                login_back = time.monotonic() - up_at
                # The per-account lock counts again: five failures, then the account is locked.
                failures = [login(base, "two@example.org", "wrong") for _ in range(5)]
                locked = login(base, "two@example.org")
                _wait(lambda: broker.llen(BEAT_QUEUE) > sent_before + 2)
                beat_back = time.monotonic() - up_at
                kept = broker.llen("kept")
        finally:
            beat.terminate()
            beat.wait(timeout=30)
    assert during == 503
    assert after == 200
    assert failures == [400] * 5 and locked == 429
    assert kept == TASKS
    with capsys.disabled():
        print(
            f"\nRedis restart: down {up_at - down_at:.1f} s, a login during it answered 503; "
            f"logins back {login_back:.2f} s after Redis, rate limits counting again, "
            f"beat sending again within {beat_back:.1f} s, {kept}/{TASKS} queued tasks kept"
        )


def _wait(done, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
