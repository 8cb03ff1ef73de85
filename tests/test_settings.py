"""The settings module: the embedded default starts; production refuses to start unsafely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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
    "DJANGO_SECURE_SSL_REDIRECT",
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


def test_a_misspelt_boolean_refuses_to_start_and_names_the_variable():
    """``DJANGO_DEBUG=ture`` used to mean DEBUG off without a word."""
    result = run_settings(DJANGO_DEBUG="ture")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_DEBUG must be one of 1/0/true/false/yes/no/on/off, got 'ture'" in result.stderr


def test_a_misspelt_production_boolean_refuses_to_start_too():
    result = run_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_SECURE_SSL_REDIRECT="nope"
    )

    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT must be one of" in result.stderr
    assert "got 'nope'" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
    ],
)
def test_boolean_settings_take_the_usual_spellings(monkeypatch, value, expected):
    from cmetrack.settings import env_bool

    monkeypatch.setenv("CMETRACK_TEST_FLAG", value)

    assert env_bool("CMETRACK_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_an_unset_boolean_takes_its_default(monkeypatch, default):
    from cmetrack.settings import env_bool

    monkeypatch.delenv("CMETRACK_TEST_FLAG", raising=False)

    assert env_bool("CMETRACK_TEST_FLAG", default=default) is default


@pytest.mark.parametrize("value", ["", "ture", "2", "y e s", "enabled"])
def test_anything_else_is_refused(monkeypatch, value):
    from cmetrack.settings import env_bool

    monkeypatch.setenv("CMETRACK_TEST_FLAG", value)

    with pytest.raises(ImproperlyConfigured, match=f"CMETRACK_TEST_FLAG .* got '{value}'"):
        env_bool("CMETRACK_TEST_FLAG", default=True)
