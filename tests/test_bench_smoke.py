"""A fast run of the benchmark's code, so that `make bench` cannot rot unnoticed."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from bench import run as bench

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


def load_entries():
    from credits.models import CreditEntry

    return CreditEntry.objects.filter(member__asps_id__startswith="L").select_related("provider")


def test_the_pdf_benchmark_measures_and_reports_against_its_limits():
    metrics = bench.measure_pdf(small=1, large=2, repeat=1, warm_up=False)

    assert set(metrics) == {"pdf_1_s", "pdf_2_s", "pdf_growth"}
    assert metrics["pdf_1_s"]["value"] > 0
    assert metrics["pdf_growth"]["limit"] == 3.5


def test_the_import_benchmark_measures_and_reports_against_its_limits():
    metrics = bench.measure_import(rows=200, rowwise_sample=40)

    assert set(metrics) == {"import_200_s", "import_200_again_s", "import_vs_rowwise"}
    assert metrics["import_200_s"]["value"] > 0
    assert metrics["import_200_s"]["limit"] == 20
    assert metrics["import_vs_rowwise"]["limit"] == 10
    assert bench.within_limit({"value": 12, "limit": 10, "at_least": True})
    assert not bench.within_limit({"value": 12, "limit": 10})


def test_the_catalogue_benchmark_imports_its_file_twice_against_its_limit():
    from bench.measure_catalogue import catalogue_csv

    metrics = bench.measure_catalogue_import(activities=60)

    assert set(metrics) == {"catalogue_import_60_s", "catalogue_import_60_again_s"}
    assert metrics["catalogue_import_60_s"]["value"] > 0
    assert metrics["catalogue_import_60_s"]["limit"] == 10
    text = catalogue_csv(300)
    assert text == catalogue_csv(300)  # the same seed, the same file
    assert text.count("\n") == 301
    assert ",resource," in text and "-P1,Session 1,activity," in text


def test_the_queue_benchmark_logs_in_staff_and_counts_its_queries():
    metrics = bench.measure_queue(claims=120, repeat=1)

    assert set(metrics) == {"queue_pending_120_s", "queue_queries_50", "queue_queries_120"}
    assert metrics["queue_pending_120_s"]["value"] > 0
    assert metrics["queue_pending_120_s"]["limit"] == 0.1
    assert metrics["queue_queries_120"]["value"] == metrics["queue_queries_50"]["value"]


def test_load_data_passes_the_rules_of_a_form_or_an_import():
    from bench.loaddata import LoadSize, generate
    from credits import services
    from credits.models import Provider
    from members.models import Member

    assert generate(LoadSize(members=3, entries_per_member=5, seed=7), today=TODAY) == (3, 15)

    providers = {provider.name: provider for provider in Provider.objects.all()}
    entries = list(load_entries())
    assert len(entries) == 15
    for entry in entries:
        values = {field: getattr(entry, field) for field in services.ENTRY_FIELDS}
        values["provider"] = entry.provider.name if entry.provider else ""
        _, _, errors = services.validate_values(
            values, today=TODAY, source=entry.source, resolve_provider=providers.get
        )
        assert not errors, (entry.title, errors)
        if entry.patient_safety_credits == 0:
            assert entry.review_status == "not_required"
    assert not Member.objects.filter(asps_id__startswith="L").exclude(
        user__password__startswith="!"  # unusable passwords: nobody logs in as load data
    )


def test_load_data_mixes_what_real_records_hold():
    from bench.loaddata import LoadSize, generate

    generate(LoadSize(members=20, entries_per_member=10, seed=1), today=TODAY)
    entries = load_entries()

    def kinds(field: str) -> set:
        return set(entries.values_list(field, flat=True))

    assert kinds("category") == {1, 2}
    assert kinds("source") == {"self_reported", "society_import"}
    assert {"not_required", "pending", "approved", "rejected"} <= kinds("review_status")
    assert len(kinds("patient_safety_kind")) >= 3
    assert len(kinds("activity_type")) >= 5
    assert len({day.year for day in kinds("end_date")}) >= 5  # spread over cycles


def test_the_same_seed_gives_the_same_data():
    from bench.loaddata import LoadSize, clear, generate

    def values():
        return list(
            load_entries()
            .order_by("member__asps_id", "id")
            .values_list("title", "category", "credits", "patient_safety_credits", "end_date")
        )

    generate(LoadSize(members=3, entries_per_member=5, seed=7), today=TODAY)
    first = values()
    clear()
    assert values() == []
    generate(LoadSize(members=3, entries_per_member=5, seed=7), today=TODAY)
    again = values()
    clear()
    generate(LoadSize(members=3, entries_per_member=5, seed=8), today=TODAY)

    assert again == first
    assert values() != first


def test_load_data_is_generated_once_and_again_only_for_another_size_or_seed():
    from bench.loaddata import LoadSize, ensure

    assert ensure(LoadSize(members=2, entries_per_member=3, seed=1))
    assert not ensure(LoadSize(members=2, entries_per_member=3, seed=1))
    assert ensure(LoadSize(members=3, entries_per_member=2, seed=1))

    assert load_entries().count() == 6


def test_the_generator_script_reports_what_it_created(capsys):
    from bench import generate

    generate.main(["--members", "2", "--entries-per-member", "3"])

    assert "Created 2 members and 6 entries" in capsys.readouterr().out


def test_the_dashboard_runs_the_same_queries_for_few_and_many_entries():
    metrics = bench.measure_dashboard_queries(small=2, large=40)

    assert metrics["dashboard_queries_2"]["value"] == metrics["dashboard_queries_40"]["value"]
    assert metrics["dashboard_queries_40"]["limit"] == metrics["dashboard_queries_2"]["value"]


def test_the_member_baseline_is_for_logged_in_members_only(client, alice, settings):
    """The floor of a logged-in page must really be logged in: anonymous is sent to log in."""
    settings.ROOT_URLCONF = "bench.urls"
    anonymous = client.get("/bench/baseline/member/")
    client.force_login(alice.user)
    member = client.get("/bench/baseline/member/")

    assert anonymous.status_code == 302
    assert (member.status_code, member.content) == (200, b"ok 1")


def test_gunicorn_serves_the_baseline_and_the_generator_measures_it(tmp_path):
    from bench import load

    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/bench.sqlite3", "DJANGO_DEBUG": "1"}
    with load.gunicorn(env, workers=1) as address:
        figures = load.load(address, "/bench/baseline/", {}, seconds=0.5, concurrency=2)

    assert figures.requests > 0 and figures.errors == 0
    assert 0 < figures.p50_ms <= figures.p95_ms


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_load_benchmark_logs_in_and_compares_with_the_baseline(live_server, settings):
    """The whole latency measurement (session cookie, API token, three loads) against the
    test server instead of gunicorn, which cannot share the test database."""
    settings.ROOT_URLCONF = "bench.urls"
    url = urlsplit(live_server.url)

    @contextmanager
    def test_server():
        yield (url.hostname, url.port)

    metrics = bench.measure_latency(0.3, entries=5, server=test_server, concurrency=1)

    assert metrics["dashboard_p50_ms"]["value"] > 0
    assert metrics["member_baseline_p50_ms"]["value"] > 0
    assert metrics["dashboard_vs_member_baseline_p50"]["value"] > 0
    assert metrics["api_compliance_p50_ms"]["value"] > 0
    assert metrics["dashboard_vs_baseline_p50"]["limit"] == 2
    assert metrics["api_compliance_vs_baseline_p50"]["limit"] == 2
    assert metrics["token_baseline_p50_ms"]["value"] > 0
    assert metrics["api_compliance_vs_token_baseline_p50"]["limit"] == 2
    assert metrics["dashboard_vs_member_baseline_p50"]["limit"] == 3


def test_the_token_baseline_is_for_a_token_only(alice, settings):
    """The API's floor runs the API's authentication: no token, 401; a member's token, 200."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    settings.ROOT_URLCONF = "bench.urls"
    api = APIClient()
    anonymous = api.get("/bench/baseline/token/")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice.user).key}")
    answer = api.get("/bench/baseline/token/")

    assert anonymous.status_code == 401
    assert (answer.status_code, answer.json()) == (200, {"ok": 1})


def test_each_group_reports_its_time_and_its_peak_memory(capsys):
    from bench import memory

    def group():
        held = bytearray(64 * 1024 * 1024)  # 64 MB touched: the peak must see it
        held[::4096] = b"x" * len(held[::4096])
        return {"figure": {"value": len(held) // 2**20, "unit": "MB", "limit": None}}

    memory.reset_peak()
    before = memory.peak_mb()
    figures = bench.run_group("tiny", group)

    assert figures["figure"]["value"] == 64
    assert figures["phase_tiny_s"]["value"] >= 0
    assert figures["phase_tiny_peak_mb"]["value"] >= before + 60
    assert "-- tiny: 1 figures in" in capsys.readouterr().out


def test_the_heartbeat_says_what_runs_while_it_runs(capsys):
    import time

    from bench import memory

    with memory.heartbeat("slow group", every=0.05):
        time.sleep(0.2)

    assert "… slow group:" in capsys.readouterr().out


def test_the_big_group_measures_the_job_and_the_overview_at_a_tiny_size():
    from django.core import mail

    from bench.measure_big import measure_big

    metrics = measure_big(members=6, entries_per_member=4, repeat=1, prepare=False)
    mail.outbox = []

    assert metrics["generate_6_s"]["value"] >= 0
    assert metrics["standing_6_s"]["value"] > 0
    assert metrics["compliance_refresh_6_s"]["value"] > 0
    assert metrics["staff_overview_6_ms"]["value"] > 0
    assert metrics["big_6_peak_mb"]["value"] > 0


def test_the_standing_benchmark_times_the_job_and_its_sql():
    metrics = bench.measure_standing(members=6, entries_per_member=4, seed=3)

    assert metrics["standing_6_s"]["value"] > 0
    assert metrics["standing_6_s"]["limit"] == 30
    assert metrics["standing_sql_s"]["unit"] == "s"
    assert metrics["standing_vs_sql"]["value"] > 0


def test_the_standing_sql_sums_what_the_job_sums():
    """The raw SQL the job is compared with computes the same totals as the job's query."""
    from django.db import connection

    from bench.loaddata import LoadSize, generate
    from credits import rules
    from credits.selectors import totals_aggregates
    from members.models import MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT, Member

    generate(LoadSize(members=8, entries_per_member=30, seed=5), today=TODAY)
    sql, params = bench.standing_sql(TODAY)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        from_sql = {
            row[0]: [rules.quantize_credits(value or 0) for value in row[1:]] for row in cursor
        }

    expected = {}
    held = Member.objects.filter(membership_type__in=MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT)
    for member in held:
        window = rules.current_cycle(member.cycle_start, TODAY).previous()
        totals = (
            load_entries()
            .filter(member=member)
            .in_window(window.start, window.end)
            .aggregate(**totals_aggregates())
        )
        if load_entries().filter(member=member).in_window(window.start, window.end).exists():
            expected[member.pk] = [rules.quantize_credits(value) for value in totals.values()]
    assert from_sql == expected
    assert expected


def test_the_benchmark_member_has_its_entries_in_the_current_cycle():
    from bench.records import member_with_entries
    from credits import rules

    member = member_with_entries(4, today=TODAY)
    cycle = rules.current_cycle(member.cycle_start, TODAY)

    entries = member.credit_entries.all()
    assert entries.count() == 4
    assert all(cycle.start <= entry.end_date <= TODAY for entry in entries)
    assert member_with_entries(1, today=TODAY).asps_id != member.asps_id


def test_the_benchmark_members_of_each_measurement_do_not_collide():
    """``make bench`` measures the dashboard, then the import, in one database."""
    from bench.records import member_with_entries

    member_with_entries(1, today=TODAY)
    member_with_entries(1, today=TODAY)
    assert len(bench.import_members(3)) == 3


def test_the_generator_script_runs_as_a_module(tmp_path):
    """``python -m bench.generate`` sets Django up itself (what README and the docs show)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    database = f"sqlite:///{tmp_path}/generate.sqlite3"
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=root,
        env=env,
        check=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "bench.generate", "--members", "2", "--entries-per-member", "2"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "Created 2 members and 4 entries" in done.stdout


def test_the_staff_benchmark_measures_each_figure():
    from django.core import mail

    metrics = bench.measure_staff(members=6, entries_per_member=4, seed=3, repeat=1, reminders=2)

    assert metrics["compliance_refresh_6_s"]["value"] > 0
    assert metrics["staff_overview_6_ms"]["value"] > 0
    assert metrics["staff_overview_6_ms"]["limit"] == 300
    assert metrics["staff_overview_6_ms"]["measured"]  # the page, or its selectors until then
    assert metrics["staff_at_risk_6_ms"]["limit"] == 200
    assert metrics["staff_at_risk_queries_6"]["value"] > 0
    assert metrics["staff_csv_6_s"]["limit"] == 5
    assert metrics["group_reminder_2_s"]["limit"] == 30
    assert metrics["group_reminder_2_s"]["measured"].endswith(", 2 sent")
    assert len(mail.outbox) == 2


def test_the_staff_list_runs_the_same_queries_for_a_small_and_a_large_membership():
    from bench.measure_staff import queries_constant

    small = bench.measure_staff_queries(members=3)
    large = bench.measure_staff(members=60, entries_per_member=1, seed=2, repeat=1)
    metrics = {**small, **large}
    queries_constant(metrics, "staff_at_risk_queries_3", "staff_at_risk_queries_60")

    assert (
        metrics["staff_at_risk_queries_60"]["value"] == metrics["staff_at_risk_queries_3"]["value"]
    )
    assert (
        metrics["staff_at_risk_queries_60"]["limit"] == metrics["staff_at_risk_queries_3"]["value"]
    )


def test_the_export_writes_a_row_per_member_the_list_picks():
    from bench.loaddata import LoadSize, generate
    from bench.measure_staff import export_rows
    from credits import compliance_summary_services, membership_selectors

    generate(LoadSize(members=12, entries_per_member=3, seed=4), today=TODAY)
    compliance_summary_services.refresh(today=TODAY)
    chosen = membership_selectors.MembershipFilter()

    listed = membership_selectors.matching(chosen, today=TODAY).count()
    assert export_rows(TODAY) == listed > 0


def test_the_certificate_benchmark_scores_the_reader_against_the_truth():
    """Over a few text PDFs and a negative (the whole corpus, OCR included, is ``make bench``)."""
    from bench.measure_certificates import measure_certificates

    metrics = measure_certificates(only=["classic_1.pdf", "self_claim_2.pdf", "invoice_1.pdf"])

    assert metrics["certificate_precision"]["value"] == 1.0
    assert metrics["certificate_precision"]["at_least"]
    assert metrics["certificate_recall"]["value"] == 1.0
    assert metrics["certificate_negative_credits"] == {
        "value": 0,
        "unit": "documents",
        "limit": 0,
    }
    assert 0 < metrics["certificate_pdf_p50_s"]["value"] < 0.5
    assert "certificate_ocr_p50_s" not in metrics  # no photo among these three


def test_the_certificate_score_counts_wrong_answers_and_credits_on_negatives():
    from bench.measure_certificates import score

    documents = [
        {"file": "a", "negative": False, "fields": {"credits": "2.00", "title": "Hand Surgery"}},
        {"file": "b", "negative": True, "fields": {"credits": None, "title": None}},
    ]
    readings = {"a": {"credits": "2.00", "title": None}, "b": {"credits": "1.00", "title": None}}

    assert score(documents, readings) == {
        "precision": 0.5,
        "recall": 0.5,
        "negative_credits": 1,
    }
