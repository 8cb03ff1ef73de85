"""What was earned: providers and credit entries (with their certificates and history)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from credits import rules

# The catalogue, the ABPS and the compliance-summary models live in their own modules;
# imported here so that callers import every model of the app from ``credits.models``.
from credits.catalogue_models import CONTENT_AREAS as CONTENT_AREAS
from credits.catalogue_models import Activity as Activity
from credits.catalogue_models import CatalogueKind as CatalogueKind
from credits.catalogue_models import ContentArea as ContentArea
from credits.certification_models import ApprovedActivity as ApprovedActivity
from credits.certification_models import CompletedTracerProcedure as CompletedTracerProcedure
from credits.certification_models import (
    CompletedTracerProcedureQuerySet as CompletedTracerProcedureQuerySet,
)
from credits.certification_models import TracerProcedure as TracerProcedure
from credits.compliance_summary_models import ComplianceSnapshot as ComplianceSnapshot
from credits.compliance_summary_models import ComplianceSummary as ComplianceSummary
from members import formatting
from members.models import Member

CREDITS_FIELD = {"max_digits": 6, "decimal_places": 2}


class Provider(models.Model):
    """An organisation that awards CME credit.

    Known providers come from a data migration (``verified``); a provider a member types that
    we do not know is kept, unverified, so staff can check it (docs/rules.md §3).
    """

    name = models.CharField(max_length=200, unique=True)
    abbreviation = models.CharField(max_length=20, blank=True)
    accreditation = models.CharField(
        max_length=200, blank=True, help_text='e.g. "ACCME" or the accrediting state society.'
    )
    auto_uploaded = models.BooleanField(
        default=False,
        help_text="Its activities' credits are uploaded by the society: members must not "
        "self-report them.",
    )
    auto_uploaded_until = models.DateField(
        null=True,
        blank=True,
        help_text="Last day on which activities were auto-uploaded (ASAPS: 2018-11-30).",
    )
    verified = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def auto_uploads(self, activity_end: dt.date) -> bool:
        """Whether an activity ending on that day arrives by import, not by the member."""
        if not self.auto_uploaded:
            return False
        return self.auto_uploaded_until is None or activity_end <= self.auto_uploaded_until


class Source(models.TextChoices):
    SELF_REPORTED = "self_reported", "Self-reported"
    SOCIETY_IMPORT = "society_import", "Society import"
    ABPS_IMPORT = "abps_import", "ABPS import"
    STAFF = "staff", "Entered by staff"


class ReviewStatus(models.TextChoices):
    """docs/rules.md §4: the review of patient-safety claims."""

    # The labels live with the other words of the pages (members.formatting).
    NOT_REQUIRED = "not_required", formatting.REVIEW_LABELS["not_required"]
    PENDING = "pending", formatting.REVIEW_LABELS["pending"]
    APPROVED = "approved", formatting.REVIEW_LABELS["approved"]
    REJECTED = "rejected", formatting.REVIEW_LABELS["rejected"]
    DOCUMENTATION_REQUESTED = (
        "documentation_requested",
        formatting.REVIEW_LABELS["documentation_requested"],
    )


# Patient-safety credits under review count provisionally (docs/rules.md §4).
UNDER_REVIEW = (ReviewStatus.PENDING, ReviewStatus.DOCUMENTATION_REQUESTED)
# The entries that count: every activity once. An entry the society's record of the same
# activity replaced (``superseded_by``) stays visible but counts nowhere (docs/rules.md).
COUNTED = Q(superseded_by__isnull=True)

Category = models.IntegerChoices("Category", rules.choice_members(rules.Category))
ActivityType = models.TextChoices("ActivityType", rules.choice_members(rules.ActivityType))
PatientSafetyKind = models.TextChoices(
    "PatientSafetyKind", rules.choice_members(rules.PatientSafetyKind)
)


def certificate_path(entry: CreditEntry, filename: str) -> str:
    """A server-generated name: nothing the uploader chose reaches the file system."""
    suffix = PurePath(filename).suffix.lower()
    return f"certificates/{entry.member_id}/{uuid.uuid4().hex}{suffix}"


class CreditEntryQuerySet(models.QuerySet["CreditEntry"]):
    def owned_by(self, user: settings.AUTH_USER_MODEL) -> CreditEntryQuerySet:
        """The one scope for a member's entries: others' entries simply do not exist."""
        return self.filter(member__user=user)

    def counted(self) -> CreditEntryQuerySet:
        """The entries that count toward any requirement (:data:`COUNTED`)."""
        return self.filter(COUNTED)

    def in_window(self, start: dt.date, end: dt.date) -> CreditEntryQuerySet:
        """An entry counts in the window that holds its end date (docs/rules.md §1 Decision)."""
        return self.filter(end_date__gte=start, end_date__lte=end)


class CreditEntry(models.Model):
    """One CME activity a member earned credit for (the ASPS member portal's submission form)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="credit_entries")
    title = models.CharField("title of activity", max_length=255)
    activity_type = models.CharField(
        "type of activity", max_length=30, choices=ActivityType.choices
    )
    category = models.PositiveSmallIntegerField("CME category", choices=Category.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="accredited provider",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    credits = models.DecimalField("CME credits", **CREDITS_FIELD)
    patient_safety_credits = models.DecimalField(default=0, **CREDITS_FIELD)
    patient_safety_kind = models.CharField(
        max_length=30, choices=PatientSafetyKind.choices, default=PatientSafetyKind.GENERAL
    )
    plastic_surgery_credits = models.DecimalField(default=0, **CREDITS_FIELD)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100)
    certificate = models.FileField(upload_to=certificate_path, blank=True, max_length=200)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="catalogue activity",
        help_text="The catalogue's activity this entry claims credit for, if it is known there.",
    )
    content_areas = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the content areas the activity covered (optional).",
    )

    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SELF_REPORTED)
    activity_code = models.CharField(
        max_length=50,
        blank=True,
        help_text="The society's code of an imported activity; one entry per member and code.",
    )
    review_status = models.CharField(
        max_length=30, choices=ReviewStatus.choices, default=ReviewStatus.NOT_REQUIRED
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="The earlier entry this one repeats: the member confirmed it on purpose, or "
        "(an imported entry) it repeats a member's entry or another import, flagged for staff.",
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text="The society's record of the same activity, which replaced this entry: it no "
        "longer counts. Cleared (and the entry counts again) if that record is deleted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CreditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "credit entries"
        ordering = ["-end_date", "-id"]
        indexes = [
            models.Index(fields=["member", "end_date"], name="entry_member_end_date"),
            # The review queue: claims of one status, oldest submission first (and counted).
            models.Index(
                fields=["review_status", "created_at", "id"],
                condition=Q(patient_safety_credits__gt=0),
                name="entry_claims_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gt=0), name="entry_credits_positive"),
            models.CheckConstraint(
                condition=Q(patient_safety_credits__gte=0)
                & Q(patient_safety_credits__lte=F("credits")),
                name="entry_patient_safety_within_credits",
            ),
            models.CheckConstraint(
                condition=Q(plastic_surgery_credits__gte=0)
                & Q(plastic_surgery_credits__lte=F("credits")),
                name="entry_plastic_surgery_within_credits",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="entry_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(category__in=[1, 2]), name="entry_category_1_or_2"),
            # Imports are idempotent on (ASPS ID, activity code) (docs/imports.md).
            models.UniqueConstraint(
                fields=["member", "activity_code"],
                condition=~Q(activity_code=""),
                name="entry_one_per_member_and_activity_code",
            ),
            models.CheckConstraint(
                condition=Q(category=1, provider__isnull=False)
                | Q(category=2, provider__isnull=True),
                name="entry_provider_only_for_category_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.end_date:%Y-%m-%d})"

    @property
    def is_imported(self) -> bool:
        return self.source in (Source.SOCIETY_IMPORT, Source.ABPS_IMPORT)

    @property
    def counts(self) -> bool:
        """False once the society's record of the same activity replaced this entry."""
        return self.superseded_by_id is None

    @property
    def member_may_edit(self) -> bool:
        """Imported credits are the society's record: the member asks staff to correct them.
        An entry that record replaced is kept as it was."""
        return self.source == Source.SELF_REPORTED and self.counts

    @property
    def patient_safety_under_review(self) -> bool:
        return self.patient_safety_credits > 0 and self.review_status in UNDER_REVIEW

    @property
    def patient_safety_counts(self) -> bool:
        return self.review_status != ReviewStatus.REJECTED


class HeldMeetingCredit(models.Model):
    """A meeting credit row waiting for the member's CME evaluation (the ASPS member portal:
    credits are uploaded "4-6 weeks after the completed CME evaluation"). Posted by a later
    file."""

    asps_id = models.CharField(max_length=20)
    activity_code = models.CharField(max_length=50)
    row = models.JSONField()
    first_seen_run = models.ForeignKey(
        "imports.ImportRun", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asps_id", "activity_code"], name="held_credit_once")
        ]

    def __str__(self) -> str:
        return f"Held: {self.asps_id} {self.activity_code}"


class Decision(models.TextChoices):
    """docs/rules.md §4: what moves a claim's review status.

    Staff decide the first three (:data:`STAFF_DECISIONS`); the next two are what the member
    did: an edit of what was judged sends a decided claim back to review, and an uploaded
    certificate answers a documentation request. The last is the catalogue's: a claim within
    what its activity designates for patient safety is approved without a reviewer.
    """

    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    REQUEST_DOCUMENTATION = "request_documentation", "Request documentation"
    MEMBER_EDIT = "member_edit", "Changed by the member"
    CERTIFICATE = "certificate", "Certificate uploaded"
    CATALOGUE = "catalogue", "Approved (within the designation)"


STAFF_DECISIONS = (Decision.APPROVE, Decision.REJECT, Decision.REQUEST_DOCUMENTATION)


class ReviewDecision(models.Model):
    """The audit trail of reviews: who decided what, when, why, and what changed."""

    entry = models.ForeignKey(
        CreditEntry, on_delete=models.SET_NULL, null=True, related_name="decisions"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="review_decisions")
    entry_title = models.CharField(max_length=255)
    decision = models.CharField(max_length=30, choices=Decision.choices)
    note = models.TextField(blank=True)
    before = models.JSONField()
    after = models.JSONField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(
        "IP address", null=True, blank=True, help_text="Where the decision or edit came from."
    )
    audit = models.ForeignKey(
        "DocumentationAudit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        permissions = [("review_claims", "Can review patient-safety claims and run audits")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.entry_title}"

    @property
    def decided_by_label(self) -> str:
        """Who moved the claim, for people: an email, or the catalogue (docs/rules.md §4)."""
        if self.decision == Decision.CATALOGUE:
            return "the catalogue"
        return self.decided_by.email if self.decided_by_id else "—"

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """The entry's values that differ before and after (a member's edit), for people."""
        hidden = ("review_status", "patient_safety_counts")
        return [
            (field.replace("_", " "), self.before.get(field, ""), value)
            for field, value in self.after.items()
            if field not in hidden and self.before.get(field, value) != value
        ]


class DocumentationAudit(models.Model):
    """Staff ask a set of members for the certificates of their Category 1 entries."""

    window_start = models.DateField()
    window_end = models.DateField()
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    seed = models.CharField(max_length=50, blank=True)
    note = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(Member, related_name="documentation_audits")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Documentation audit of {self.created_at:%Y-%m-%d}"


class DocumentationRequest(models.Model):
    """An audit asks for the certificate of one entry.

    Kept apart from the entry's review status: asking for a certificate changes no decision.
    The request is answered once the entry has a certificate.
    """

    audit = models.ForeignKey(DocumentationAudit, on_delete=models.CASCADE, related_name="requests")
    entry = models.ForeignKey(
        CreditEntry,
        on_delete=models.SET_NULL,
        null=True,
        related_name="documentation_requests",
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="documentation_requests"
    )
    entry_title = models.CharField(max_length=255)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "entry"], name="documentation_asked_once")
        ]

    def __str__(self) -> str:
        return f"Certificate requested: {self.entry_title}"
