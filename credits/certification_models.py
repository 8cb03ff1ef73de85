"""The ABPS Continuous Certification models (docs/rules.md §6): the board's tracer procedures,
its approved activities aligned with them, and the procedures a member completed.

Re-exported by :mod:`credits.models`, where the rest of the app imports them from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from members.models import Member


class TracerProcedure(models.Model):
    """A tracer procedure of the ABPS Continuous Certification program. The board's list is
    data that staff maintain (admin); an inactive one is kept for the records that name it."""

    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApprovedActivity(models.Model):
    """The ABPS's "ABPS-approved Educational Activities aligned with Tracer Procedures"
    (ABPS Continuous Certification) —
    courses at society meetings and approved articles. Staff maintain the list (admin)."""

    class Format(models.TextChoices):
        COURSE = "course", "Course"
        ARTICLE = "article", "Article"
        OTHER = "other", "Other"

    title = models.CharField(max_length=255)
    tracer_procedure = models.ForeignKey(
        TracerProcedure,
        on_delete=models.PROTECT,
        related_name="approved_activities",
        help_text="The tracer procedure the ABPS aligned this activity with.",
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.COURSE)
    offered_by = models.CharField(
        max_length=200, blank=True, help_text='e.g. "ASPS", "ASAPS" or "PRS" for an article.'
    )
    active = models.BooleanField(
        default=True, help_text="Offered to members when they link an activity."
    )

    class Meta:
        ordering = ["tracer_procedure__name", "title"]
        verbose_name_plural = "approved activities"
        constraints = [
            models.UniqueConstraint(
                fields=["title", "tracer_procedure"], name="approved_activity_once_per_procedure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.tracer_procedure.name})"


class CompletedTracerProcedureQuerySet(models.QuerySet["CompletedTracerProcedure"]):
    def owned_by(self, user: settings.AUTH_USER_MODEL) -> CompletedTracerProcedureQuerySet:
        """The one scope for a member's tracer procedures: others' do not exist."""
        return self.filter(member__user=user)


class CompletedTracerProcedure(models.Model):
    """A tracer procedure a diplomate completed, with the approved educational activity
    aligned with it that they completed (ABPS Continuous Certification)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="tracer_procedures")
    procedure = models.ForeignKey(
        TracerProcedure, on_delete=models.PROTECT, related_name="completions"
    )
    completed_on = models.DateField("date of the procedure")
    approved_activity = models.ForeignKey(
        ApprovedActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completions",
        verbose_name="aligned approved activity",
    )
    activity_completed_on = models.DateField(
        "date the activity was completed", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompletedTracerProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "completed tracer procedure"
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_activity__isnull=True, activity_completed_on__isnull=True)
                | Q(approved_activity__isnull=False, activity_completed_on__isnull=False),
                name="tracer_activity_with_its_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} ({self.completed_on:%Y-%m-%d})"
