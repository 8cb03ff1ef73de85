"""The settings module: the embedded default starts; production refuses to start unsafely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
    "s.CACHES['default']['BACKEND'], s.MEDIA_ROOT, s.DEBUG)"
)
CONFIG_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "DJANGO_ALLOWED_HOSTS",
)


def run_settings(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update({"DJANGO_SETTINGS_MODULE": "cmetrack.settings", **variables})
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_embedded_default_needs_no_variables():
    result = run_settings()

    assert result.returncode == 0, result.stderr
    engine, eager, email, cache, media_root, debug = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert cache == "django.core.cache.backends.db.DatabaseCache"
    assert media_root == str(ROOT / "var" / "media")
    assert debug == "True"


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings(DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_variables_choose_the_real_services():
    result = run_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db.example.org:5432/cme",
        CELERY_BROKER_URL="redis://redis.example.org:6379/0",
        REDIS_URL="redis://redis.example.org:6379/1",
        EMAIL_URL="smtp://mail.example.org:25",
    )

    assert result.returncode == 0, result.stderr
    engine, eager, email, cache, _media_root, debug = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"
    assert email == "django.core.mail.backends.smtp.EmailBackend"
    assert cache == "django.core.cache.backends.redis.RedisCache"
    assert debug == "False"
