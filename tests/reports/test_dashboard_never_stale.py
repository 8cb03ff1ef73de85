"""The dashboard caches what it reads from a member's entries and reviews
(``reports.dashboard_data``) under a version that every write path changes: after each write
path the page must show what a fresh read shows, never the cached page of before.

Each test first shows the dashboard (so that it is cached), then writes through one path, then
compares the page with the member's data read afresh from the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from credits import compliance_summary_services, review_services, rules, selectors, services
from credits.models import CreditEntry
from reports import dashboard_data
from tests.api.test_api import entry_json, token_client
from tests.credits.test_compliance_summary_fresh import (
    _change_form,
    _meeting_import,
    admin_client,  # noqa: F401 -- a fixture of the admin tests, used here too
    values,
)
from tests.credits.test_views import form_data
from tests.factories import MemberFactory
from tests.today import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    """Alice (``token_client`` logs in as her), with her summary rows written, as every
    member created through the services has them."""
    alice = MemberFactory(user__email="alice@example.org", first_name="Alice")
    compliance_summary_services.refresh([alice.pk])
    return alice


@pytest.fixture
def page(member):
    """Her browser: a function that shows her dashboard and returns its context."""
    browser = Client()
    browser.force_login(member.user)

    def show():
        answer = browser.get(reverse("dashboard"))
        assert answer.status_code == 200
        return answer.context

    return show


def assert_fresh(context, member) -> None:
    """The page says what the entries and reviews say now."""
    member.refresh_from_db()
    today = timezone.localdate()
    cycle = rules.current_cycle(member.cycle_start, today)
    fresh = dashboard_data.read(member, cycle, today)
    assert context["compliance"] == rules.evaluate(fresh.totals, rules.ASPS)
    assert context["reviews"] == fresh.reviews
    assert context["chart"] == fresh.chart
    shown = [(e.pk, e.title, e.credits, e.review_status) for e in context["recent_entries"]]
    assert shown == [(e.pk, e.title, e.credits, e.review_status) for e in fresh.recent_entries]
    assert [d.pk for d in context["decisions"]] == [d.pk for d in fresh.decisions]


def test_the_dashboard_is_served_from_the_cache_until_a_write(member, page):
    """The cache is really used (so the tests below can fail): a second visit reads fewer
    queries than the first."""
    services.entry_create(member=member, values=values())
    first = CaptureQueriesContext(connection)
    with first:
        page()
    second = CaptureQueriesContext(connection)
    with second:
        page()
    assert len(second) <= len(first) - 4  # totals, actions, chart, decisions, entries


def test_a_new_entry_from_the_form(member, page):
    page()
    browser = Client()
    browser.force_login(member.user)
    assert browser.post(reverse("credits:new"), form_data()).status_code == 302
    context = page()
    assert [e.title for e in context["recent_entries"]] == ["Hand Surgery Update"]
    assert_fresh(context, member)


def test_an_entry_edited_deleted_and_restored_from_the_form(member, page):
    entry = services.entry_create(member=member, values=values())
    page()
    browser = Client()
    browser.force_login(member.user)
    edited = browser.post(
        reverse("credits:detail", args=[entry.pk]), form_data(title="Edited Course")
    )
    assert edited.status_code == 302
    assert_fresh(page(), member)
    assert browser.post(reverse("credits:delete", args=[entry.pk])).status_code == 302
    context = page()
    assert context["recent_entries"] == []
    assert_fresh(context, member)
    assert browser.post(reverse("credits:restore", args=[entry.pk])).status_code == 302
    context = page()
    assert [e.pk for e in context["recent_entries"]] == [entry.pk]
    assert_fresh(context, member)


def test_an_entry_from_the_api(member, page):
    page()
    api = token_client("alice@example.org")
    assert api.post("/api/v1/credits/", entry_json(), format="json").status_code == 201
    context = page()
    assert [e.title for e in context["recent_entries"]] == ["Microsurgery Symposium"]
    assert_fresh(context, member)


def test_a_meeting_import(member, page):
    page()
    _meeting_import(member, title="Spring Meeting", credits="12")
    context = page()
    assert [e.title for e in context["recent_entries"]] == ["Spring Meeting"]
    assert_fresh(context, member)


@pytest.mark.parametrize("decision", ["approve", "reject", "request_documentation"])
def test_a_review_decision(member, page, reviewer, decision):
    entry = services.entry_create(member=member, values=values())
    page()
    review_services.review_decide(entry=entry, decision=decision, note="Because", by=reviewer)
    context = page()
    assert len(context["decisions"]) == 1
    assert_fresh(context, member)


def test_an_entry_changed_in_the_admin(member, page, admin_client):  # noqa: F811
    entry = services.entry_create(member=member, values=values())
    page()
    answer = admin_client.post(
        f"/admin/credits/creditentry/{entry.pk}/change/", _change_form(entry, credits="25")
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    context = page()
    assert context["recent_entries"][0].credits == Decimal("25")
    assert_fresh(context, member)


def test_an_undo_and_a_restore(member, page):
    entry = services.entry_create(member=member, values=values())
    pk = entry.pk
    services.entry_delete(entry=entry)
    page()
    record = CreditEntry.history.filter(id=pk, history_type="-").get()
    services.entry_undo_delete(record=record, now=timezone.now())
    context = page()
    assert [e.pk for e in context["recent_entries"]] == [pk]
    assert_fresh(context, member)

    services.entry_delete(entry=CreditEntry.objects.get(pk=pk))
    page()
    services.entries_restore(
        history_ids=list(
            CreditEntry.history.filter(id=pk, history_type="-").values_list("pk", flat=True)
        )
    )
    context = page()
    assert [e.pk for e in context["recent_entries"]] == [pk]
    assert_fresh(context, member)


def test_the_cycle_moved_by_staff(member, page):
    services.entry_create(member=member, values=values())
    page()
    member.cycle_start = dt.date(TODAY.year - 1, 7, 1)
    member.save(update_fields=["cycle_start"])
    compliance_summary_services.refresh([member.pk])  # as the member services do
    assert_fresh(page(), member)


# --- The compliance API reads the same cache ---------------------------------------------------


def test_the_compliance_api_after_each_write_path(member, reviewer, admin_client):  # noqa: F811
    """``GET /api/v1/compliance/`` after a form, the API, an import, a review, the admin, an
    undo: the totals it answers are those of the entries now."""
    api = token_client("alice@example.org")
    browser = Client()
    browser.force_login(member.user)

    def fresh_total() -> Decimal:
        cycle = rules.current_cycle(member.cycle_start, timezone.localdate())
        compliance = rules.evaluate(selectors.totals_for(member, cycle), rules.ASPS)
        return compliance.requirement(rules.RequirementCode.TOTAL).earned

    def total() -> Decimal:
        answer = api.get("/api/v1/compliance/")
        assert answer.status_code == 200
        by_code = {r["code"]: r for r in answer.json()["requirements"]}
        shown = Decimal(by_code["total"]["earned"])
        assert shown == fresh_total()
        return shown

    seen = [total()]
    assert browser.post(reverse("credits:new"), form_data()).status_code == 302
    seen.append(total())
    assert api.post("/api/v1/credits/", entry_json(), format="json").status_code == 201
    seen.append(total())
    _meeting_import(member, title="Spring Meeting", credits="12")
    seen.append(total())
    entry = CreditEntry.objects.filter(member=member, source="self_reported").first()
    review_services.review_decide(entry=entry, decision="reject", note="No", by=reviewer)
    seen.append(total())
    answer = admin_client.post(
        f"/admin/credits/creditentry/{entry.pk}/change/",
        _change_form(entry, credits="30", review_status="approved"),
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    seen.append(total())
    pk = entry.pk
    services.entry_delete(entry=CreditEntry.objects.get(pk=pk))
    seen.append(total())
    record = CreditEntry.history.filter(id=pk, history_type="-").first()
    services.entry_undo_delete(record=record, now=timezone.now())
    seen.append(total())
    assert len(set(seen)) >= 5, seen  # each write moved the total the API answers
