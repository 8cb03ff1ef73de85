"""The section "Ways to earn patient-safety credits" in a real browser: a member short of
patient-safety credits whose quality-assurance cap is used up is not offered TOPS, one with
room left is; "Record it" opens Submit CME with the activity chosen; the section fits a phone.

Screenshots of the dashboard with the section at 1280×900 and 390×844 land in var/screens/
(looked at by people, not compared by the tests)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CreditEntryFactory, MemberFactory
from tests.reports.ways_to_earn_helpers import ASPS_VTE, IHI, TOPS, shipped_catalogue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def short_member(email: str, quality_assurance: int):
    """A member with ``quality_assurance`` approved quality-assurance patient-safety credits
    and 4 general ones in the cycle: short of the 20 whatever the first (at most 5 count)."""
    shipped_catalogue()
    member = MemberFactory(user__email=email, first_name="Grace", last_name="Hopper")
    for kind, credits in (("quality_assurance", quality_assurance), ("general", 4)):
        CreditEntryFactory(
            member=member,
            title=f"Patient safety: {kind.replace('_', ' ')}",
            credits=Decimal(credits),
            plastic_surgery_credits=Decimal(0),
            patient_safety_credits=Decimal(credits),
            patient_safety_kind=kind,
            review_status="approved",
        )
    return member


def serious_issues(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def item(section, code: str):
    return section.locator(f'li[data-activity="{code}"]')


def test_a_member_whose_quality_assurance_cap_is_used_up_is_not_offered_tops(page, live_server):
    member = short_member("capped@example.org", quality_assurance=5)
    log_in(page, live_server, member.user.email, PASSWORD)
    page.reload()  # without the one-time "signed in" message

    section = page.locator("#ways-to-earn")
    heading = section.get_by_role("heading", name="Ways to earn patient-safety credits")
    expect(heading).to_be_visible()
    expect(section).to_contain_text("ASPS 11 more patient-safety credits by")
    expect(item(section, TOPS)).to_have_count(0)
    expect(section).not_to_contain_text("TOPS")
    expect(section).to_contain_text("Quality-assurance activities are not listed")
    expect(item(section, IHI)).to_contain_text("up to 10 credits")  # the most credits first
    expect(item(section, ASPS_VTE)).to_be_hidden()  # behind "6 more resources"
    # Below the requirements it is about.
    assert section.bounding_box()["y"] > page.locator("#body-asps").bounding_box()["y"]
    assert serious_issues(page) == []
    screenshot(page, "dashboard-ways-to-earn-desktop")

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    record = item(section, IHI).get_by_role("link", name="Record it")
    box = record.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"], box
    screenshot(page, "dashboard-ways-to-earn-phone")
    section.screenshot(path=str(SCREENS / "ways-to-earn-section-phone.png"))

    section.get_by_text("6 more resources").click()
    expect(item(section, ASPS_VTE)).to_be_visible()
    expect(item(section, ASPS_VTE)).to_contain_text("your credits arrive automatically")
    expect(item(section, ASPS_VTE).get_by_role("link")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_issues(page) == []
    section.screenshot(path=str(SCREENS / "ways-to-earn-section-phone-more.png"))

    record.click()
    expect(page).to_have_url(f"{live_server.url}/credits/new/?activity={IHI}")
    expect(page.get_by_role("heading", name="Submit CME")).to_be_visible()
    expect(page.get_by_label("Title of activity")).to_have_value(
        "IHI Open School Patient Safety Curriculum"
    )
    expect(page.locator("#chosen-activity")).to_contain_text("From the catalogue")


def test_a_member_with_room_left_in_quality_assurance_is_offered_tops(page, live_server):
    member = short_member("room@example.org", quality_assurance=3)
    log_in(page, live_server, member.user.email, PASSWORD)

    tops = item(page.locator("#ways-to-earn"), TOPS)
    expect(tops).to_contain_text("TOPS")
    expect(tops).to_contain_text("Up to 2 more quality-assurance credits count this cycle")
    expect(tops).to_contain_text("your credits arrive automatically")  # ASPS's
    expect(page.locator("#ways-to-earn")).not_to_contain_text("are not listed")

    page.goto(f"{live_server.url}/reports/cme/")
    expect(item(page.locator("#ways-to-earn"), TOPS)).to_have_count(1)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "report-ways-to-earn-phone")
    page.emulate_media(media="print")
    expect(page.locator("#ways-to-earn")).to_be_hidden()  # the printed report is the record
