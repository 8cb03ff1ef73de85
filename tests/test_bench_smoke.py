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
