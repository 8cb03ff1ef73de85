"""Staff pages of group reminders: the preview from the at-risk list's filter, the send (CSRF,
confirm), the run's page with its progress, its status JSON and the runs; a 404 for anyone
but CME staff with two-factor."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import AuditEvent
from reports.models import GroupReminderRun, GroupReminderSend
from tests.reports.group_reminder_helpers import short_member, summarize

pytestmark = pytest.mark.django_db
NEW = reverse("staff:group_reminder_new")


@pytest.fixture
def short_of_patient_safety():
    """Two members short of patient-safety credits (one reminded 3 days ago by another run),
    one short of other credits only, one who has met every requirement."""
    ann = short_member("ann@example.org", credits=30, last_name="Able")
    ben = short_member("ben@example.org", credits=50, last_name="Baker")
    cy = short_member("cy@example.org", credits=140, patient_safety=20, last_name="Cole")
    done = short_member("done@example.org", credits=160, patient_safety=20)
    summarize(ann, ben, cy, done)
    return {"ann": ann, "ben": ben, "cy": cy, "done": done}


def test_the_preview_counts_and_shows_the_first_members_own_email(
    reviewer_client, short_of_patient_safety
):
    response = reviewer_client.get(f"{NEW}?status=&requirement=patient_safety&sort=deficit")

    assert response.status_code == 200
    page = response.content.decode()
    preview = response.context["preview"]
    assert (preview.listed, preview.will_get, preview.recent, preview.already_met) == (2, 2, 0, 0)
    # Sorted by deficit: ann (30 of 150) comes before ben (50 of 150).
    assert response.context["email"].to == ["ann@example.org"]
    assert "You still need 120 more credits, of which" in page
    assert "20 patient safety" in page
    assert "Short of patient safety" in page
    assert "Send 2 reminders" in page
    assert 'action="?status=&amp;requirement=patient_safety&amp;sort=deficit"' in page


def test_a_filter_that_cannot_be_read_sends_nothing(reviewer_client, short_of_patient_safety):
    url = f"{NEW}?requirement=everything"
    assert reviewer_client.get(url).status_code == 400
    response = reviewer_client.post(url, {"confirm": "send"})

    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not GroupReminderRun.objects.exists()


def test_sending_needs_the_confirm_button_and_a_csrf_token(short_of_patient_safety, reviewer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    url = f"{NEW}?status=&requirement=patient_safety"

    assert strict.post(url, {"confirm": "send"}).status_code == 403
    loose = Client()
    loose.force_login(reviewer)
    assert loose.post(url, {}).status_code == 400
    assert not GroupReminderRun.objects.exists()


def test_send_queues_the_run_and_its_page_shows_sent_skipped_and_failed(
    reviewer_client, reviewer, short_of_patient_safety, django_capture_on_commit_callbacks
):
    url = f"{NEW}?status=&requirement=patient_safety"
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(url, {"confirm": "send"})

    reminder_run = GroupReminderRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:group_reminder", args=[reminder_run.pk])
    assert reminder_run.started_by == reviewer
    assert reminder_run.filter["requirement"] == "patient_safety"
    logged = AuditEvent.objects.get(action=AuditEvent.Action.GROUP_REMINDER)
    assert (logged.actor, logged.target) == (reviewer, f"group reminder {reminder_run.pk}")
    assert logged.details["members"] == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.org",
        "ben@example.org",
    ]
    page = reviewer_client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert '<progress id="reminder-progress" class="bar" max="2" value="2">' in text
    assert page.context["progress"] == {
        "status": "done",
        "status_label": "Done",
        "planned": 2,
        "sent": 2,
        "skipped": 0,
        "failed": 0,
        "handled": 2,
        "finished": True,
    }
    status = reviewer_client.get(reverse("staff:group_reminder_status", args=[reminder_run.pk]))
    assert status.json()["sent"] == 2 and "no-store" in status["Cache-Control"]
    runs = reviewer_client.get(reverse("staff:group_reminders")).content.decode()
    assert f"Group reminder {reminder_run.pk}" in runs

    # The same filter again at once: both were reminded, the preview and the run say so.
    again = reviewer_client.get(url)
    assert (again.context["preview"].recent, again.context["preview"].will_get) == (2, 0)
    assert "No one to remind with this filter" in again.content.decode()


def test_the_run_page_lists_failures_and_skips(reviewer_client, short_of_patient_safety):
    reminder_run = GroupReminderRun.objects.create(
        as_of="2026-06-15", filter={}, status="done", planned=2, sent=0, skipped=1, failed=1
    )
    GroupReminderSend.objects.create(
        run=reminder_run,
        member=short_of_patient_safety["ann"],
        status="failed",
        error="550 No such user",
    )
    GroupReminderSend.objects.create(
        run=reminder_run, member=short_of_patient_safety["ben"], status="skipped_recent"
    )

    text = reviewer_client.get(reverse("staff:group_reminder", args=[reminder_run.pk])).content
    text = text.decode()

    assert "550 No such user" in text and "Able" in text
    assert "Skipped: reminded in the last 7 days: 1" in text


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_every_route_is_a_404_for_anyone_but_cme_staff(who, alice, staff_user):
    reminder_run = GroupReminderRun.objects.create(as_of="2026-06-15", filter={})
    browser = Client()
    browser.force_login(alice.user if who == "member" else staff_user)
    urls = [
        reverse("staff:group_reminders"),
        NEW,
        reverse("staff:group_reminder", args=[reminder_run.pk]),
        reverse("staff:group_reminder_status", args=[reminder_run.pk]),
    ]
    for url in urls:
        assert browser.get(url).status_code == 404, url
    assert browser.post(NEW, {"confirm": "send"}).status_code == 404
    assert GroupReminderRun.objects.count() == 1


def test_the_at_risk_actions_link_carries_the_filter():
    from django.template.loader import render_to_string

    html = render_to_string(
        "staff/_at_risk_actions.html",
        {"query": "status=at_risk&requirement=total", "form": None},
    )
    assert f'href="{NEW}?status=at_risk&amp;requirement=total"' in html
