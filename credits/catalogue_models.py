"""The activity catalogue (docs/rules.md §3): activities with what they were designated for,
their optional parts, and the patient-safety resources offered to members who are short.

Re-exported by :mod:`credits.models`, where the rest of the app imports them from.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from credits import rules

CREDITS_FIELD = {"max_digits": 6, "decimal_places": 2}

ContentArea = models.TextChoices("ContentArea", rules.choice_members(rules.ContentArea))
CONTENT_AREAS = tuple(ContentArea.values)


class CatalogueKind(models.TextChoices):
    ACTIVITY = "activity", "Activity"
    RESOURCE = "resource", "Patient-safety resource"


class Activity(models.Model):
    """One activity of the catalogue: a meeting, a course, an article.

    A designation the catalogue does not state is left empty (``None``), never zero. An activity
    may have parts with their own designations (``parent``): the ASAPS meeting's Scientific
    Sessions and optional courses; the whole is capped at its own maximum.
    """

    code = models.CharField(
        max_length=50, unique=True, help_text="The society's code of the activity."
    )
    title = models.CharField(max_length=255)
    kind = models.CharField(
        max_length=20,
        choices=CatalogueKind.choices,
        default=CatalogueKind.ACTIVITY,
        help_text="Resources are offered to members who are short of patient-safety credits.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="part of",
        help_text="For a part of an activity with its own designation (a meeting's sessions).",
    )
    provider = models.ForeignKey(
        "credits.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalogue_activities",
        verbose_name="accredited provider",
    )
    activity_type = models.CharField(
        "type of activity",
        max_length=30,
        choices=rules.choices(rules.ActivityType),
        default=rules.ActivityType.LIVE_ACTIVITY,
    )
    category = models.PositiveSmallIntegerField(
        "CME category", choices=rules.choices(rules.Category), default=1
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    max_credits = models.DecimalField(
        "designated maximum",
        null=True,
        blank=True,
        help_text="The designated maximum of AMA PRA Category 1 Credits™; empty if not stated.",
        **CREDITS_FIELD,
    )
    patient_safety_credits = models.DecimalField(
        "designated patient-safety credits",
        null=True,
        blank=True,
        help_text="Claims up to this are approved without a reviewer; empty if not stated.",
        **CREDITS_FIELD,
    )
    patient_safety_kind = models.CharField(
        "patient-safety topic",
        max_length=30,
        choices=rules.choices(rules.PatientSafetyKind),
        default=rules.PatientSafetyKind.GENERAL,
    )
    plastic_surgery_credits = models.DecimalField(
        "plastic-surgery credits", null=True, blank=True, **CREDITS_FIELD
    )
    content_areas = models.JSONField(
        default=list, blank=True, help_text="Codes of the content areas it covers."
    )
    url = models.URLField("web address", blank=True)
    active = models.BooleanField(default=True, help_text="Offered to members.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "code"]
        verbose_name = "catalogue activity"
        verbose_name_plural = "catalogue activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_credits__isnull=True) | Q(max_credits__gt=0),
                name="catalogue_maximum_positive",
            ),
            models.CheckConstraint(
                condition=Q(patient_safety_credits__isnull=True) | Q(patient_safety_credits__gte=0),
                name="catalogue_patient_safety_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(max_credits__isnull=True)
                | Q(patient_safety_credits__isnull=True)
                | Q(patient_safety_credits__lte=F("max_credits")),
                name="catalogue_patient_safety_within_maximum",
            ),
            models.CheckConstraint(
                condition=Q(max_credits__isnull=True)
                | Q(plastic_surgery_credits__isnull=True)
                | Q(plastic_surgery_credits__lte=F("max_credits")),
                name="catalogue_plastic_surgery_within_maximum",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="catalogue_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_title} ({self.code})"

    @property
    def full_title(self) -> str:
        """A part is named with its whole: "ASAPS Annual Meeting — Scientific Sessions"."""
        if self.parent_id is None:
            return self.title
        return f"{self.parent.title} — {self.title}"

    @property
    def content_area_labels(self) -> list[str]:
        labels = dict(ContentArea.choices)
        return [labels[code] for code in self.content_areas if code in labels]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                errors["parent"] = ["An activity cannot be a part of itself."]
            elif self.parent.parent_id is not None:
                errors["parent"] = ["A part belongs to a whole activity, not to another part."]
            elif self.pk and self.parts.exists():
                errors["parent"] = ["An activity with parts cannot itself be a part."]
        unknown = [code for code in self.content_areas or [] if code not in CONTENT_AREAS]
        if not isinstance(self.content_areas, list) or unknown:
            errors["content_areas"] = [
                "Use the codes of the content areas: " + ", ".join(CONTENT_AREAS) + "."
            ]
        if errors:
            raise ValidationError(errors)

    def designation(
        self,
        *,
        claimed: Decimal = rules.ZERO_CREDITS,
        claimed_patient_safety: Decimal = rules.ZERO_CREDITS,
    ) -> rules.Designation:
        """This activity's designation for the pure rules (:mod:`credits.rules.designations`)."""
        return rules.Designation(
            title=self.full_title,
            maximum=self.max_credits,
            patient_safety=self.patient_safety_credits,
            claimed=claimed,
            claimed_patient_safety=claimed_patient_safety,
        )
