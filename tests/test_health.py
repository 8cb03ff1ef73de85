from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SERVICES_REQUIRED

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_without_a_login(client, settings):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    expected_broker = "ok" if settings.CELERY_BROKER_URL else "not configured"
    assert body["broker"] == expected_broker
    assert body["cache"] == "ok"
    if SERVICES_REQUIRED:
        assert body["broker"] == "ok"


def healthz_in_a_process(**variables: str) -> dict:
    """Ask /healthz of a real process configured with these variables."""
    probe = (
        "import django, json; django.setup(); "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(json.dumps({'status_code': r.status_code, **r.json()}))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "DATABASE_URL", "REDIS_URL")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "cmetrack.settings", **variables}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////nonexistent-directory/cmetrack.sqlite3", "postgres://nobody@127.0.0.1:1/cmetrack"],
)
def test_healthz_reports_the_database_down_when_it_is(database_url):
    answer = healthz_in_a_process(DATABASE_URL=database_url)

    assert answer == {
        "status_code": 503,
        "status": "error",
        "database": "error",
        "cache": "error",  # the embedded default's cache is a database table
        "broker": "not configured",
    }


def test_healthz_reports_the_broker_down_when_it_is():
    answer = healthz_in_a_process(CELERY_BROKER_URL="redis://127.0.0.1:1/0")

    # The cache is whatever this machine's embedded default has (its table may not exist).
    answer.pop("cache")
    assert answer == {"status_code": 503, "status": "error", "database": "ok", "broker": "error"}
