"""Remind a group in a real browser: overview → the list behind a count → preview → send →
the run's page, whose progress bar its script follows to the end (static/js/site.js)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from credits.membership_selectors import MembershipFilter
from reports import group_reminders
from reports.models import GroupReminderRun
from tests.e2e.conftest import log_in_reviewer
from tests.reports.group_reminder_helpers import short_member, summarize
from tests.today import TODAY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def short_members(db):
    members = [
        short_member("ann@example.org", credits=30, last_name="Able"),
        short_member("ben@example.org", credits=50, last_name="Baker"),
        short_member("cy@example.org", credits=160, patient_safety=20, last_name="Cole"),
    ]
    summarize(*members)
    return members


def test_staff_preview_send_and_follow_a_group_reminder(page, live_server, reviewer, short_members):
    log_in_reviewer(page, live_server, reviewer)  # lands on the overview

    # Overview → the list behind "members short of patient safety" → remind them.
    asps = page.locator("section", has=page.locator("#population-asps"))
    asps.get_by_role("row", name="Patient safety").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/staff/members/at-risk/*")
    expect(page.get_by_role("link", name="Able")).to_be_visible()
    page.get_by_role("link", name="Remind these members").click()
    expect(page.get_by_role("heading", name="Remind these members")).to_be_visible()
    expect(page.get_by_text("You still need 120 more credits, of which").first).to_be_visible()
    page.get_by_role("button", name="Send 2 reminders").click()

    page.wait_for_url(f"{live_server.url}/staff/reminders/*/")
    bar = page.locator("progress#reminder-progress")
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    expect(bar).to_have_attribute("value", "2")
    expect(bar).to_have_attribute("max", "2")
    expect(page.locator("[data-progress=sent]")).to_have_text("2")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.org",
        "ben@example.org",
    ]


def test_the_run_page_follows_a_run_to_its_end(page, live_server, reviewer, short_members):
    """The page opens while the run is queued; the worker (here, the test) sends; the page's
    script moves the bar and reloads on the end, without anyone touching the page."""
    reminder_run = group_reminders.run_start(MembershipFilter(), by=reviewer, today=TODAY)
    log_in_reviewer(page, live_server, reviewer)
    page.goto(f"{live_server.url}/staff/reminders/{reminder_run.pk}/")
    expect(page.get_by_text("Queued", exact=True)).to_be_visible()
    expect(page.locator("progress#reminder-progress")).to_have_attribute("value", "0")

    group_reminders.send_group_reminders(reminder_run.pk)

    expect(page.get_by_text("Done", exact=True)).to_be_visible(timeout=15_000)
    expect(page.locator("progress#reminder-progress")).to_have_attribute("value", "2")
    expect(page.get_by_text("Finished", exact=True)).to_be_visible()  # the reloaded page
    assert GroupReminderRun.objects.get().sent == 2
