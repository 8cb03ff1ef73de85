"""A fast run of the benchmark's code, so that `make bench` cannot rot unnoticed."""

from __future__ import annotations

import pytest

from bench import run as bench

pytestmark = pytest.mark.django_db


def test_the_pdf_benchmark_measures_and_reports_against_its_limits():
    metrics = bench.measure_pdf(small=3, large=9, repeat=1)

    assert set(metrics) == {"pdf_3_s", "pdf_9_s", "pdf_growth"}
    assert metrics["pdf_3_s"]["value"] > 0
    assert metrics["pdf_growth"]["limit"] == 3.5


def test_the_import_benchmark_measures_and_reports_against_its_limits():
    metrics = bench.measure_import(rows=200, rowwise_sample=40)

    assert set(metrics) == {"import_200_s", "import_200_again_s", "import_vs_rowwise"}
    assert metrics["import_200_s"]["value"] > 0
    assert metrics["import_200_s"]["limit"] == 20
    assert metrics["import_vs_rowwise"]["limit"] == 10
    assert bench.within_limit({"value": 12, "limit": 10, "at_least": True})
    assert not bench.within_limit({"value": 12, "limit": 10})


def test_load_data_keeps_the_rules_and_the_same_seed_gives_the_same_data():
    from bench.loaddata import LoadSize, generate
    from credits import rules
    from credits.models import CreditEntry
    from members.models import User

    def values():
        return list(
            CreditEntry.objects.filter(member__asps_id__startswith="L")
            .order_by("member__asps_id", "id")
            .values_list("title", "category", "credits", "patient_safety_credits", "end_date")
        )

    assert generate(LoadSize(members=3, entries_per_member=5, seed=7)) == (3, 15)
    first = values()
    for entry in CreditEntry.objects.filter(member__asps_id__startswith="L"):
        assert rules.is_quarter_step(entry.credits) and entry.credits > 0
        assert entry.patient_safety_credits <= entry.credits
        assert entry.plastic_surgery_credits <= entry.credits
        assert (entry.category == 1) == (entry.provider_id is not None)
    User.objects.filter(member__asps_id__startswith="L").delete()  # and their members
    generate(LoadSize(members=3, entries_per_member=5, seed=7))

    assert values() == first


def test_the_command_reports_what_it_created(capsys):
    from django.core.management import call_command

    call_command("generate_load_data", "--members", "2", "--entries-per-member", "3")

    assert "Created 2 members and 6 entries" in capsys.readouterr().out


def test_the_dashboard_runs_the_same_queries_for_few_and_many_entries():
    metrics = bench.measure_dashboard_queries(small=2, large=40)

    assert metrics["dashboard_queries_2"]["value"] == metrics["dashboard_queries_40"]["value"]
    assert metrics["dashboard_queries_40"]["limit"] == metrics["dashboard_queries_2"]["value"]


def test_gunicorn_serves_the_baseline_and_the_generator_measures_it(tmp_path):
    from bench import load

    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/bench.sqlite3", "DJANGO_DEBUG": "1"}
    with load.gunicorn(env, workers=1) as port:
        figures = load.load(port, "/bench/baseline/", {}, seconds=0.5, concurrency=2)

    assert figures.requests > 0 and figures.errors == 0
    assert 0 < figures.p50_ms <= figures.p95_ms


def test_the_standing_benchmark_times_the_job_and_its_sql(postgres):
    metrics = bench.measure_standing(members=6, entries_per_member=4, seed=3)

    assert metrics["standing_6_s"]["value"] > 0
    assert metrics["standing_6_s"]["limit"] == 30
    assert metrics["standing_sql_s"]["value"] > 0
