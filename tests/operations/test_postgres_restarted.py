"""PostgreSQL restarted while members are saving entries through the API: during the outage
requests fail cleanly (503 with Retry-After), none half-writes an entry, and the app recovers
by itself once the database is back (CI: a throwaway cluster, never the shared one)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import psycopg2
import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token
from time_machine import escape_hatch

from operations.backup import Database, backup
from operations.restore import restore
from tests.operations.throwaway import postgres_cluster, web_server

WRITERS = 3


def entry(title: str) -> dict:
    return {
        "title": title,
        "activity_type": "live_activity",
        "category": 1,
        "provider": "ACS",
        "start_date": "2020-03-02",
        "end_date": "2020-03-02",
        "credits": "1",
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_during_a_database_restart_fail_cleanly_and_the_app_recovers(
    postgres, alice, tmp_path, capsys
):
    token = Token.objects.create(user=alice.user)
    # The server keeps the real clock (tests/conftest.py): its token is issued now, really.
    real_now = dt.datetime.fromtimestamp(escape_hatch.time.time(), tz=dt.UTC)
    Token.objects.filter(pk=token.pk).update(created=real_now)
    connection.ensure_connection()
    backup(
        tmp_path / "b", database=Database(dict(connection.settings_dict)), media_root=tmp_path / "m"
    )
    with postgres_cluster() as cluster:
        admin = psycopg2.connect(**_connect(cluster.settings("postgres")))
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE cmetrack_fault")
        admin.close()
        database = Database(cluster.settings("cmetrack_fault"))
        restore(tmp_path / "b", database=database, media_root=tmp_path / "media")
        url = f"postgres://postgres@127.0.0.1:{cluster.port}/cmetrack_fault"
        with web_server(DATABASE_URL=url, MEDIA_ROOT=str(tmp_path / "media")) as base:
            answers: list[tuple[str, int, float]] = []
            stop = threading.Event()

            def write(writer: int) -> None:
                session = requests.Session()
                session.headers["Authorization"] = f"Token {token.key}"
                n = 0
                while not stop.is_set():
                    title = f"Fault drill {writer}-{n}"
                    try:
                        status = session.post(f"{base}/api/v1/credits/", json=entry(title),
                                              timeout=15).status_code  # fmt: skip
                    except requests.RequestException:
                        status = 0  # no answer at all
                    answers.append((title, status, time.monotonic()))
                    n += 1
                    time.sleep(0.05)

            auth = {"Authorization": f"Token {token.key}"}
            warm_up = requests.post(
                f"{base}/api/v1/credits/", json=entry("Warm-up"), headers=auth, timeout=60
            )
            assert warm_up.status_code == 201, warm_up.content
            answers.append(("Warm-up", 201, time.monotonic()))
            threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
            for thread in threads:
                thread.start()
            time.sleep(1.5)
            cluster.stop()
            down_at = time.monotonic()
            time.sleep(2)
            cluster.start()
            up_at = time.monotonic()
            time.sleep(2)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)

        saved = _titles(database)
    statuses = {status for _, status, _ in answers}
    assert statuses <= {201, 503}, statuses
    during = [status for _, status, at in answers if down_at < at < up_at]
    assert 503 in during
    ok = [title for title, status, _ in answers if status == 201]
    refused = [title for title, status, _ in answers if status == 503]
    assert sorted(saved) == sorted(ok)  # each saved entry once; no refused one half-written
    assert not set(refused) & set(saved)
    first_ok_after = min(at for _, status, at in answers if status == 201 and at > up_at)
    assert first_ok_after - up_at < 5
    with capsys.disabled():
        print(
            f"\nPostgreSQL restart: {len(answers)} requests, {len(ok)} saved, {len(refused)} "
            f"answered 503 (none half-written); down {up_at - down_at:.1f} s, first save "
            f"{first_ok_after - up_at:.2f} s after it was back"
        )


def _connect(settings: dict) -> dict:
    return {"dbname": settings["NAME"], "user": "postgres", "host": "127.0.0.1",
            "port": settings["PORT"]}  # fmt: skip


def _titles(database: Database) -> list[str]:
    link = database.pg_connect()
    try:
        cursor = link.cursor()
        cursor.execute("SELECT title FROM credits_creditentry")
        return [row[0] for row in cursor.fetchall()]
    finally:
        link.close()
