"""Every write path keeps the compliance summary current (docs/rules.md §1 "The membership's
compliance"): before each write the member's stored summary is made false on purpose, and
after it the stored rows must equal the rows computed afresh from totals read member by
member. A write path that forgot to refresh leaves the false rows and fails."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits import abps_import, meeting_import, review_services, services
from credits.models import ComplianceSummary, CreditEntry
from imports import services as imports_services
from imports.models import ImportRun
from members import roster_import
from members import services as member_services
from tests.credits.summary_helpers import assert_fresh, poison
from tests.factories import CreditEntryFactory, MemberFactory, with_two_factor
from tests.today import TODAY, shifted

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = shifted(dt.date(2025, 9, 10))  # in the current cycle (2025-2027 with the default today)


def values(**changes: object) -> dict:
    return {
        "title": "Hand Course",
        "activity_type": "live_activity",
        "category": 1,
        "provider": "ACS",
        "start_date": DAY,
        "end_date": DAY,
        "credits": Decimal("10"),
        "patient_safety_credits": Decimal("3"),
        "patient_safety_kind": "general",
        "plastic_surgery_credits": Decimal("8"),
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
        **changes,
    }


# --- The services ------------------------------------------------------------------------


def test_a_member_s_new_entry(alice):
    poison(alice)
    services.entry_create(member=alice, values=values())
    assert_fresh(alice)


def test_an_entry_staff_type_in(alice):
    poison(alice)
    services.entry_create(member=alice, values=values(), source="staff")
    assert_fresh(alice)


def test_an_edited_entry(alice):
    entry = services.entry_create(member=alice, values=values())
    poison(alice)
    services.entry_update(entry=entry, values=values(credits=Decimal("40")))
    assert_fresh(alice)


def test_a_deleted_entry_and_its_undo(alice):
    entry = services.entry_create(member=alice, values=values())
    pk = entry.pk
    poison(alice)
    services.entry_delete(entry=entry)
    assert_fresh(alice)
    record = CreditEntry.history.filter(id=pk, history_type="-").get()
    poison(alice)
    services.entry_undo_delete(record=record, now=timezone.now())
    assert_fresh(alice)
    assert ComplianceSummary.objects.get(member=alice, cycle_end__gte=TODAY).total == 10


def test_entries_restored_by_staff(alice, bob):
    entries = [services.entry_create(member=member, values=values()) for member in (alice, bob)]
    for entry in entries:
        services.entry_delete(entry=entry)
    poison(alice, bob)
    services.entries_restore(
        history_ids=list(CreditEntry.history.filter(history_type="-").values_list("pk", flat=True))
    )
    assert_fresh(alice, bob)


def test_a_certificate_that_moves_the_claim_back_to_review(alice, reviewer):
    entry = services.entry_create(member=alice, values=values())
    review_services.review_decide(
        entry=entry, decision="request_documentation", note="Send it", by=reviewer
    )
    poison(alice)
    services.certificate_upload(
        entry=entry,
        certificate=SimpleUploadedFile("c.pdf", PDF_BYTES),
    )
    assert CreditEntry.objects.get(pk=entry.pk).review_status == "pending"
    assert_fresh(alice)


@pytest.mark.parametrize("decision", ["approve", "reject", "request_documentation"])
def test_a_review_decision(alice, reviewer, decision):
    entry = services.entry_create(member=alice, values=values())
    poison(alice)
    review_services.review_decide(entry=entry, decision=decision, note="Because", by=reviewer)
    assert_fresh(alice)


def test_deleting_an_import_lets_the_member_s_own_entry_count_again(alice):
    own = services.entry_create(member=alice, values=values(title="Spring Meeting"))
    _meeting_import(alice, title="Spring Meeting", credits="12")
    assert CreditEntry.objects.get(pk=own.pk).superseded_by_id is not None
    poison(alice)
    services.entry_delete(entry=CreditEntry.objects.get(source="society_import"))
    assert_fresh(alice)


# --- The imports: one set-based refresh per batch --------------------------------------------


def _meeting_import(*members, title="Spring Meeting", credits="10") -> ImportRun:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=meeting_import.MEETING_REQUIRED, lineterminator="\n")
    writer.writeheader()
    for member in members:
        writer.writerow(
            {
                "asps_id": member.asps_id,
                "activity_code": "SPRING-A",
                "activity_title": title,
                "provider": "ACS",
                "start_date": DAY.isoformat(),
                "end_date": DAY.isoformat(),
                "category": "1",
                "credits": credits,
                "patient_safety_credits": "2",
                "patient_safety_kind": "general",
                "plastic_surgery_credits": "5",
                "evaluation_completed_on": DAY.isoformat(),
            }
        )
    run = imports_services.run_create(
        kind=ImportRun.Kind.MEETING_CREDITS, file_name="m.csv", content=out.getvalue()
    )
    run = imports_services.perform_run(run.pk)
    assert (run.status, run.rejected) == ("done", 0), run.error
    return run


def test_a_meeting_import(alice, bob):
    services.entry_create(member=alice, values=values(title="Spring Meeting"))  # replaced
    poison(alice, bob)
    _meeting_import(alice, bob)
    assert_fresh(alice, bob)


def test_an_abps_import(alice):
    poison(alice)
    text = ",".join(abps_import.ABPS_REQUIRED) + "\n"
    text += f"{alice.asps_id},CC-1,cc_exam,,{DAY.isoformat()},,\n"
    run = imports_services.run_create(kind=ImportRun.Kind.ABPS, file_name="a.csv", content=text)
    run = imports_services.perform_run(run.pk)
    assert (run.status, run.created) == ("done", 1), run.error
    assert_fresh(alice)


def test_an_import_refreshes_with_as_many_queries_for_many_members_as_for_one():
    def queries(count: int) -> int:
        members = MemberFactory.create_batch(count)
        with CaptureQueriesContext(connection) as captured:
            _meeting_import(*members, title=f"Meeting of {count}")
        return len(captured)

    queries(1)  # the provider is created once
    # 25 members: 50 rows, one statement even under SQLite's limit on parameters (a batch
    # grows by a statement per ~50 rows there, per 1,000 on PostgreSQL; never per row).
    assert queries(2) == queries(25)


# --- Members: new ones, and cycles moved -----------------------------------------------------


def _roster(*rows: dict[str, str]) -> ImportRun:
    columns = roster_import.ROSTER_COLUMNS
    text = "\n".join([",".join(columns), *(",".join(r[c] for c in columns) for r in rows)])
    run = imports_services.run_create(
        kind=ImportRun.Kind.ROSTER, file_name="r.csv", content=text + "\n"
    )
    run = imports_services.perform_run(run.pk)
    assert (run.status, run.rejected) == ("done", 0), run.error
    return run


def test_the_roster_gives_new_members_a_summary_and_moves_changed_cycles(alice):
    CreditEntryFactory(member=alice, end_date=DAY, credits=Decimal("30"))
    poison(alice)
    moved = shifted(dt.date(2024, 7, 1))
    _roster(
        {
            "asps_id": alice.asps_id,
            "email": alice.user.email,
            "first_name": alice.first_name,
            "last_name": alice.last_name,
            "membership_type": "active",
            "joined_on": alice.joined_on.isoformat(),
            "cycle_start": moved.isoformat(),
        },
        {
            "asps_id": "30001",
            "email": "carol@example.org",
            "first_name": "Carol",
            "last_name": "Chen",
            "membership_type": "candidate",
            "joined_on": shifted(dt.date(2024, 3, 9)).isoformat(),
            "cycle_start": "",
        },
    )
    carol = alice.__class__.objects.get(asps_id="30001")
    assert_fresh(alice, carol)
    assert ComplianceSummary.objects.filter(member=alice).count() == 2  # old cycles gone
    assert ComplianceSummary.objects.filter(member=carol).count() == 2


def test_a_member_created_by_the_service():
    member = member_services.member_create(
        email="dan@example.org",
        asps_id="30002",
        first_name="Dan",
        last_name="Doe",
        joined_on=shifted(dt.date(2020, 2, 2)),
    )
    assert_fresh(member)
    assert ComplianceSummary.objects.filter(member=member).count() == 2


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    root = with_two_factor(
        django_user_model.objects.create_superuser(email="root@example.org", password="x" * 20)
    )
    client.force_login(root)
    return client


def _change_form(entry: CreditEntry, **changes: object) -> dict:
    data = {
        "member": entry.member_id,
        "title": entry.title,
        "activity_type": entry.activity_type,
        "category": entry.category,
        "provider": entry.provider_id or "",
        "start_date": entry.start_date.isoformat(),
        "end_date": entry.end_date.isoformat(),
        "credits": entry.credits,
        "patient_safety_credits": entry.patient_safety_credits,
        "patient_safety_kind": entry.patient_safety_kind,
        "plastic_surgery_credits": entry.plastic_surgery_credits,
        "city": entry.city,
        "state": entry.state,
        "country": entry.country,
        "source": entry.source,
        "review_status": entry.review_status,
        "content_areas": "[]",
        "activity_code": entry.activity_code,
        "_save": "Save",
    }
    return {**data, **changes}


def test_an_entry_changed_in_the_admin_even_moved_to_another_member(admin_client, alice, bob):
    entry = services.entry_create(member=alice, values=values())
    poison(alice, bob)
    answer = admin_client.post(
        f"/admin/credits/creditentry/{entry.pk}/change/",
        _change_form(entry, credits="25", member=bob.pk),
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert CreditEntry.objects.get(pk=entry.pk).member_id == bob.pk
    assert_fresh(alice, bob)


def test_an_entry_added_in_the_admin(admin_client, alice):
    entry = CreditEntryFactory.build(member=alice, end_date=DAY, provider=None, category=2)
    poison(alice)
    answer = admin_client.post("/admin/credits/creditentry/add/", _change_form(entry))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert_fresh(alice)


def test_an_entry_deleted_in_the_admin(admin_client, alice):
    entry = services.entry_create(member=alice, values=values())
    poison(alice)
    answer = admin_client.post(f"/admin/credits/creditentry/{entry.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302
    assert_fresh(alice)


def test_entries_deleted_in_bulk_in_the_admin(admin_client, alice, bob):
    entries = [services.entry_create(member=member, values=values()) for member in (alice, bob)]
    poison(alice, bob)
    answer = admin_client.post(
        "/admin/credits/creditentry/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [e.pk for e in entries]},
    )
    assert answer.status_code == 302
    assert not CreditEntry.objects.exists()
    assert_fresh(alice, bob)


def test_entries_restored_from_the_admin_s_history(admin_client, alice):
    entry = services.entry_create(member=alice, values=values())
    pk = entry.pk
    services.entry_delete(entry=entry)
    poison(alice)
    record = CreditEntry.history.get(id=pk, history_type="-")
    answer = admin_client.post(
        "/admin/credits/historicalcreditentry/",
        {"action": "restore", "_selected_action": [record.pk]},
    )
    assert answer.status_code == 302
    assert CreditEntry.objects.filter(pk=pk).exists()
    assert_fresh(alice)


def test_a_cycle_start_changed_in_the_admin(admin_client, alice):
    CreditEntryFactory(member=alice, end_date=DAY)
    poison(alice)
    moved = shifted(dt.date(2024, 7, 1))
    page = admin_client.get(f"/admin/members/member/{alice.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in ("asps_member", "asaps_member", "abps_special_circumstances"):
        if not data.get(name):
            data.pop(name, None)
    data.update(cycle_start=moved.isoformat(), joined_on=alice.joined_on.isoformat(), _save="Save")
    answer = admin_client.post(f"/admin/members/member/{alice.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    alice.refresh_from_db()
    assert alice.cycle_start == moved
    assert_fresh(alice)
    assert ComplianceSummary.objects.filter(member=alice).count() == 2  # the old cycles gone
