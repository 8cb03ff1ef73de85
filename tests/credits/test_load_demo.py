"""``load_demo`` (the data of `make run`): the demo member with a record the staff pages can
show — their compliance summary and three years of month-end snapshots — and safe to run again."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from credits.models import ComplianceSnapshot, ComplianceSummary

pytestmark = pytest.mark.django_db


def test_load_demo_fills_the_staff_overview_and_can_run_again():
    for _ in range(2):
        call_command("load_demo", stdout=io.StringIO())

    assert ComplianceSummary.objects.filter(member__asps_id="22428").count() == 2
    assert ComplianceSnapshot.objects.filter(population="asps").count() == 36
    assert ComplianceSnapshot.objects.count() == 3 * 36
