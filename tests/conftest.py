from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.core.cache import cache

from tests.factories import PASSWORD, MemberFactory, UserFactory, in_cme_staff, with_two_factor
from tests.today import TODAY

SERVICES_REQUIRED = os.environ.get("CMETRACK_REQUIRE_SERVICES") == "1"


def require_service(available: bool, what: str) -> None:
    """Skip on a developer's embedded setup; fail in CI, where the service must be there."""
    if available:
        return
    if SERVICES_REQUIRED:
        pytest.fail(f"{what} is required (CMETRACK_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not configured")


@pytest.fixture(autouse=True)
def _today():
    """Every test runs on the suite's "today" (``tests/today.py``), not the real date.

    time-machine moves the clock of the whole process (``time.time``, ``datetime.now``,
    ``date.today``, hence ``timezone.localdate``), Django's live server thread in the browser
    tests included; the clock goes on ticking from noon (UTC) that day. A separate process
    (a real Celery worker, the browser) keeps the real clock: tests that use one pass their
    dates explicitly.
    """
    noon = dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=True):
        yield


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """allauth keeps its rate limits in the cache: every test starts with a clean slate.

    The embedded default's cache is a database table, so only tests with database access
    can (and need to) clear it.
    """
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if uses_database:
        # Autouse fixtures start first: open the database the test asked for before clearing.
        for name in ("transactional_db", "db"):
            if name in request.fixturenames:
                request.getfixturevalue(name)
                break
        cache.clear()
    yield
    if uses_database:
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password with the production hasher takes a good part of a second; tests
    create many users (Django's testing docs recommend a fast hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process in tests, even where CI configures a broker; the tests marked
    ``celery_worker`` send them to a real worker instead."""
    from cmetrack.celery import app

    eager = "celery_worker" not in request.keywords
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def postgres(db):
    from django.db import connection

    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    """A member who owns the data under test."""
    return MemberFactory(user__email="alice@example.org", first_name="Alice", last_name="Able")


@pytest.fixture
def bob(db):
    """Another member: must never see alice's data."""
    return MemberFactory(user__email="bob@example.org", first_name="Bob", last_name="Baker")


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@example.org", is_staff=True)


@pytest.fixture
def reviewer(db):
    """CME staff: may review claims and run audits."""
    user = in_cme_staff(UserFactory(email="reviewer@example.org", is_staff=True))
    return with_two_factor(user)  # staff pages require two-factor


@pytest.fixture
def reviewer_client(reviewer):
    """A browser of its own, so a test can hold a member's and a reviewer's side by side."""
    from django.test import Client

    browser = Client()
    browser.force_login(reviewer)
    return browser


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice.user)
    return client
