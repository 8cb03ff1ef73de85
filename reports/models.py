"""A record of every PDF report issued, so a board can verify a printed copy."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from members.models import Member


def new_verification_code() -> str:
    """128 random bits, URL-safe: unguessable."""
    return secrets.token_urlsafe(16)


class IssuedReport(models.Model):
    """What a CME report PDF said when it was generated, looked up by its printed code."""

    code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="issued_reports")
    window_start = models.DateField()
    window_end = models.DateField()
    compliant = models.BooleanField()
    summary = models.JSONField(help_text="The requirements as printed: counted, required, met.")
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"CME report {self.code} for {self.member}"


class GroupReminderRun(models.Model):
    """Staff reminding the members an at-risk filter picks, each of their own deficit: one
    run of the task ``reports.tasks.send_group_reminders``, its filter and its counts."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Sending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField(help_text="The day the filter was read (its 'today').")
    filter = models.JSONField(help_text="The at-risk list's filter, as staff chose it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    planned = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Group reminder {self.pk} ({self.status})"

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.failed


class GroupReminderSend(models.Model):
    """One member of a run: the email sent, skipped (and why) or failed. One row per member and
    run; a row ``sending`` holds the member's place while the email goes out."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED_RECENT = "skipped_recent", "Skipped: reminded in the last 7 days"
        SKIPPED_NO_EMAIL = "skipped_no_email", "Skipped: no email address to write to"
        SKIPPED_CHANGED = "skipped_changed", "Skipped: no longer short (left the list)"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(GroupReminderRun, on_delete=models.CASCADE, related_name="sends")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="group_reminders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "member"], name="group_reminder_once_per_run")
        ]
        indexes = [
            # A member's last group reminder (the 7-day rule, docs/rules.md): by member, newest.
            models.Index(fields=["member", "-sent_at"], name="group_reminder_last_by_member"),
            models.Index(fields=["run", "status"], name="group_reminder_run_status"),
        ]

    def __str__(self) -> str:
        return f"Group reminder {self.run_id} to member {self.member_id}: {self.status}"


class StandingJobRun(models.Model):
    """One run of the standing job (docs/rules.md §5) split into chunks of members, each a
    task of its own (``reports.tasks``): what was asked, and how far it got."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    as_of = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    stale_summaries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Standing job as of {self.as_of} ({self.status})"


class StandingJobChunk(models.Model):
    """One chunk of a standing job run: the held members whose id is between ``first_member``
    and ``last_member``, judged by one task, retried on its own."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        DONE = "done", "Done"

    run = models.ForeignKey(StandingJobRun, on_delete=models.CASCADE, related_name="chunks")
    first_member = models.PositiveIntegerField()
    last_member = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    members = models.PositiveIntegerField(default=0)
    transitions = models.PositiveIntegerField(default=0)
    stale_summaries = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "first_member"]

    def __str__(self) -> str:
        return f"Standing job {self.run_id}, members {self.first_member}-{self.last_member}"
