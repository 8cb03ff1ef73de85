"""Staff open the overview, click a count and land on the list of exactly those members; the
overview and the list fit a phone (screenshots saved with ``E2E_SCREENSHOTS=dir``)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from credits.compliance_summary_services import refresh
from credits.models import ComplianceSnapshot
from tests.e2e.conftest import log_in_reviewer
from tests.factories import (
    CreditEntryFactory,
    MemberFactory,
    UserFactory,
    in_cme_staff,
    with_two_factor,
)
from tests.today import TODAY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def membership() -> None:
    """Members whose cycles end this year and next, some behind pace; three years of
    month-end snapshots."""
    for index in range(24):
        start = dt.date(TODAY.year - 2 - (index % 2), 1, 1)
        member = MemberFactory(
            first_name=("Ann", "Maximiliana-Josefine")[index % 2],
            last_name=f"Castellanos-Whitfield {index}",
            cycle_start=start,
            asaps_member=index % 3 == 0,
            standing=("good", "good", "probation", "suspended")[index % 4],
            standing_since=TODAY - dt.timedelta(days=50 + index),
        )
        for step in range(index % 7):
            CreditEntryFactory(
                member=member,
                end_date=start + dt.timedelta(days=60 * step),
                credits=Decimal("30"),
                plastic_surgery_credits=Decimal("10"),
                patient_safety_credits=Decimal("4"),
                review_status="approved",
            )
    refresh(today=TODAY)
    month_end = dt.date(TODAY.year, TODAY.month, 1) - dt.timedelta(days=1)
    for month in range(36):
        ComplianceSnapshot.objects.create(
            month_end=month_end, population="asps", members=2400, compliant=1500 - 9 * month
        )
        month_end = month_end.replace(day=1) - dt.timedelta(days=1)


def shoot(page, name: str) -> None:
    """Desktop and phone screenshots, when asked for; the page must fit a phone either way."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
        if label == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)


def test_from_the_overview_a_count_opens_the_list_of_those_members(page, live_server):
    reviewer = with_two_factor(in_cme_staff(UserFactory(is_staff=True)))
    membership()

    log_in_reviewer(page, live_server, reviewer)  # staff land on the overview
    expect(page.get_by_role("heading", name="Compliance of the membership")).to_be_visible()
    asps = page.locator("section", has=page.get_by_role("heading", name="ASPS members"))
    at_risk = asps.locator("a.overview-at_risk")
    count = int(at_risk.locator("strong").inner_text())
    assert count > 0
    expect(asps.locator("svg.rate-chart")).to_be_visible()
    shoot(page, "overview")

    at_risk.click()

    page.wait_for_url("**/staff/members/at-risk/?*status=at_risk*")
    expect(page.get_by_role("heading", name="Members at risk")).to_be_visible()
    expect(page.get_by_label("Verdict", exact=True)).to_have_value("at_risk")
    expect(page.get_by_label("Body", exact=True)).to_have_value("asps")
    rows = page.locator("table.at-risk-list tbody tr")
    expect(rows).to_have_count(count)
    expect(rows.first.locator("td").last).to_contain_text("total")
    shoot(page, "at-risk-list")

    page.get_by_label("Sort by").select_option("deficit")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**sort=deficit**")
    expect(rows).to_have_count(count)
    rows.first.get_by_role("link").click()
    expect(page.get_by_text("ASPS ID")).not_to_have_count(0)
    assert "/staff/members/" in page.url and "at-risk" not in page.url


def test_the_projected_standing_lists_the_changes_by_date(page, live_server):
    reviewer = with_two_factor(in_cme_staff(UserFactory(is_staff=True)))
    membership()

    log_in_reviewer(page, live_server, reviewer)
    page.get_by_role("link", name="Projected standing").first.click()

    expect(page.get_by_role("heading", name="Projected standing")).to_be_visible()
    days = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert days and len(days) == page.locator("table tbody tr").count()
    expect(page.locator("table tbody")).to_contain_text("Suspended")
    shoot(page, "projected-standing")
