"""An import run (one file and what became of it) and its rejected rows.

The tables keep the names they had when these models lived in ``members``
(``members_importrun``, ``members_importrejection``): moving the models changed no table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One import of a file (roster, meeting credits, ABPS records, the activity catalogue) and
    what became of it."""

    class Kind(models.TextChoices):
        # The stored values of the kinds the apps register (imports.registry); a new kind of
        # import adds its value here too (docs/architecture.md "Where new code goes").
        ROSTER = "roster", "Members roster"
        MEETING_CREDITS = "meeting_credits", "Society meeting credits"
        ABPS = "abps", "ABPS records"
        CATALOGUE = "catalogue", "Activity catalogue"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        STOPPED = "stopped", "Stopped"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    content = models.TextField(help_text="The file as uploaded (UTF-8 CSV).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    flagged_duplicates = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "members_importrun"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.file_name} ({self.status})"


class ImportRejection(models.Model):
    """A row an import did not take, kept with its reason (never lost)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField(help_text="Line in the file, the header being line 1.")
    row = models.JSONField()
    reason = models.TextField()

    class Meta:
        db_table = "members_importrejection"
        ordering = ["run", "line"]

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"
