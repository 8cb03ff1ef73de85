"""The security log: logins, failures, two-factor changes, decisions and standing changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credits import review_services
from members.models import AuditEvent
from reports import standing_job
from tests.factories import CreditEntryFactory
from tests.today import shifted

pytestmark = pytest.mark.django_db


def test_logins_and_failures_are_logged_without_the_password(client, alice, password):
    client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": "my secret guess"}
    )
    client.post(
        reverse("account_login"),
        {"login": "alice@example.org", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )

    failed = AuditEvent.objects.get(action="login_failed")
    success = AuditEvent.objects.get(action="login")
    assert failed.actor_email == "alice@example.org"
    assert success.actor == alice.user
    assert success.ip == "203.0.113.7"
    everything = str(list(AuditEvent.objects.values()))
    assert "my secret guess" not in everything
    assert password not in everything


def test_review_decisions_and_standing_changes_are_logged(alice, reviewer):
    claim = CreditEntryFactory(member=alice, patient_safety_credits=Decimal("1"))

    review_services.review_decide(entry=claim, decision="approve", by=reviewer)
    standing_job.evaluate_standing(as_of=shifted(dt.date(2025, 1, 1)))

    decision = AuditEvent.objects.get(action="review_decision")
    standing = AuditEvent.objects.get(action="standing_changed")
    assert decision.actor == reviewer
    assert decision.details["after"] == "approved"
    assert standing.target == alice.asps_id
    assert standing.details["to"] == "probation"


def test_an_import_is_logged_when_uploaded_and_when_done(
    reviewer_client, reviewer, django_capture_on_commit_callbacks
):
    roster = SimpleUploadedFile(
        "roster.csv",
        b"asps_id,email,first_name,last_name,membership_type,joined_on\n"
        b"30001,new@example.org,Nora,New,active,2024-05-01\n",
        "text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            "/staff/imports/",
            {"kind": "roster", "roster-file": roster},
            REMOTE_ADDR="198.51.100.4",
        )

    uploaded = AuditEvent.objects.get(action="import", details__status="uploaded")
    assert (uploaded.actor, uploaded.ip) == (reviewer, "198.51.100.4")
    done = AuditEvent.objects.exclude(pk=uploaded.pk).get(action="import", target=uploaded.target)
    assert done.details["status"] == "done"
    assert uploaded.pk < done.pk  # logged in the order they happened
    assert "created 1" in done.details["counts"]


def test_staff_read_the_log_and_members_cannot(reviewer_client, client, bob):
    AuditEvent.objects.create(action="login", actor_email="someone@example.org", target="x")

    assert "someone@example.org" in reviewer_client.get("/staff/audit-log/").content.decode()
    client.force_login(bob.user)
    assert client.get("/staff/audit-log/").status_code == 404


def test_the_log_cannot_be_edited_in_the_admin(client, reviewer, django_user_model):
    from tests.factories import with_two_factor

    root = with_two_factor(
        django_user_model.objects.create_superuser(email="root@example.org", password="x" * 20)
    )
    event = AuditEvent.objects.create(action="login", actor_email="a@example.org")
    client.force_login(root)

    assert client.get("/admin/members/auditevent/").status_code == 200
    assert client.post(f"/admin/members/auditevent/{event.pk}/delete/").status_code == 403
    assert (
        'name="_save"'
        not in client.get(f"/admin/members/auditevent/{event.pk}/change/").content.decode()
    )
