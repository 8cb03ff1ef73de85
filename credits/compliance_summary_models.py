"""The per-member compliance summary (docs/rules.md §1 "The membership's compliance"): one row
per member and cycle (the current one and the one before), kept current by the services that
change entries and reviews and checked every night, so that the staff pages over thousands of
members read rows instead of evaluating everyone on each request.

Re-exported by :mod:`credits.models`, where the rest of the app imports them from.
"""

from __future__ import annotations

from django.db import models

CREDITS_FIELD = {"max_digits": 8, "decimal_places": 2, "default": 0}


class ComplianceSummary(models.Model):
    """What the pure rules said of one member's cycle (``credits.rules.evaluate``), as numbers
    SQL can filter and sort on: the credits counted toward each requirement (after the caps,
    pending patient-safety claims included) and what is still short of each.

    The ASPS and ASAPS requirements are the same numbers (docs/rules.md §1), so one row serves
    both; who is held to which is on the member.
    """

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="compliance_summaries"
    )
    cycle_start = models.DateField()
    cycle_end = models.DateField(db_index=True)
    total = models.DecimalField("counted toward the total", **CREDITS_FIELD)
    category_1 = models.DecimalField("AMA PRA Category 1", **CREDITS_FIELD)
    plastic_surgery = models.DecimalField(**CREDITS_FIELD)
    patient_safety = models.DecimalField(
        help_text="Counted toward patient safety, pending claims included.", **CREDITS_FIELD
    )
    patient_safety_pending = models.DecimalField(
        help_text="The part of the patient-safety credits still under review.", **CREDITS_FIELD
    )
    total_short = models.DecimalField(**CREDITS_FIELD)
    category_1_short = models.DecimalField(**CREDITS_FIELD)
    plastic_surgery_short = models.DecimalField(**CREDITS_FIELD)
    patient_safety_short = models.DecimalField(**CREDITS_FIELD)
    short_by = models.DecimalField(
        help_text="The largest of the four shortfalls (0 when every requirement is met).",
        **CREDITS_FIELD,
    )
    met = models.BooleanField(default=False, help_text="Every requirement met.")
    behind_from = models.DateField(
        null=True,
        blank=True,
        help_text="The day one requirement falls behind the cycle's pace (docs/rules.md §1); "
        "empty when every requirement is met.",
    )
    depends_on_pending = models.BooleanField(
        default=False,
        help_text="The verdict would change if the claims under review were rejected.",
    )
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "compliance summary"
        verbose_name_plural = "compliance summaries"
        ordering = ["cycle_end", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "cycle_start"], name="compliance_summary_once_per_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["cycle_end", "met"], name="compliance_by_cycle_end"),
            models.Index(fields=["cycle_end", "behind_from"], name="compliance_by_pace"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.cycle_start:%Y-%m-%d}–{self.cycle_end:%Y-%m-%d}"


class ComplianceSnapshot(models.Model):
    """The membership's compliance at a month's end, for the staff overview's chart: written
    by the nightly standing job on the last day of a month (and backfilled once for the months
    before it ran)."""

    class Population(models.TextChoices):
        ASPS = "asps", "ASPS members"
        ASAPS = "asaps", "ASAPS members"
        ABPS = "abps", "ABPS diplomates"

    month_end = models.DateField()
    population = models.CharField(max_length=10, choices=Population.choices)
    members = models.PositiveIntegerField(help_text="Members counted that day.")
    compliant = models.PositiveIntegerField(help_text="Of them, compliant that day.")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["population", "month_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["month_end", "population"], name="compliance_snapshot_once_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.population} {self.month_end:%Y-%m-%d}: {self.compliant}/{self.members}"

    @property
    def rate(self) -> float | None:
        return self.compliant / self.members if self.members else None
