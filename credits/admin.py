from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from credits import compliance_summary_services, services
from credits.models import (
    Activity,
    ApprovedActivity,
    CompletedTracerProcedure,
    ContentArea,
    CreditEntry,
    DocumentationAudit,
    Provider,
    ReviewDecision,
    TracerProcedure,
)


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "accreditation", "auto_uploaded", "verified"]
    list_filter = ["verified", "auto_uploaded"]
    search_fields = ["name", "abbreviation"]


class ActivityForm(forms.ModelForm):
    """The content areas as boxes to tick, not JSON to type."""

    content_areas = forms.MultipleChoiceField(
        choices=ContentArea.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = [
            "code",
            "title",
            "kind",
            "parent",
            "provider",
            "activity_type",
            "category",
            "start_date",
            "end_date",
            "city",
            "state",
            "country",
            "max_credits",
            "patient_safety_credits",
            "patient_safety_kind",
            "plastic_surgery_credits",
            "content_areas",
            "url",
            "active",
        ]


class ActivityPartInline(admin.TabularInline):
    model = Activity
    fk_name = "parent"
    extra = 0
    verbose_name = "part with its own designation"
    verbose_name_plural = "parts with their own designations"
    fields = ["code", "title", "max_credits", "patient_safety_credits", "plastic_surgery_credits"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The activity catalogue (docs/rules.md §3): designations, parts and resources."""

    form = ActivityForm
    list_display = [
        "code",
        "title",
        "kind",
        "provider",
        "start_date",
        "max_credits",
        "patient_safety_credits",
        "patient_safety_kind",
        "active",
    ]
    list_filter = ["kind", "active", "activity_type", "patient_safety_kind"]
    search_fields = ["code", "title", "provider__name", "provider__abbreviation"]
    list_select_related = ["provider", "parent"]
    raw_id_fields = ["parent"]
    inlines = [ActivityPartInline]


@admin.register(CreditEntry)
class CreditEntryAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "member",
        "end_date",
        "category",
        "credits",
        "patient_safety_credits",
        "source",
        "review_status",
    ]
    list_filter = ["source", "review_status", "category", "activity_type", "patient_safety_kind"]
    search_fields = ["title", "member__asps_id", "member__last_name", "member__user__email"]
    date_hierarchy = "end_date"
    list_select_related = ["member", "provider"]
    raw_id_fields = ["member", "duplicate_of", "provider", "activity"]

    # Every write here refreshes the compliance summaries of the members it touched, in the
    # same transaction (docs/rules.md §1 "The membership's compliance"). A revert from the
    # history comes through save_model too.

    @transaction.atomic
    def save_model(
        self, request: HttpRequest, obj: CreditEntry, form: forms.ModelForm, change: bool
    ) -> None:
        stored = CreditEntry.objects.filter(pk=obj.pk).values_list("member_id", flat=True)
        touched = set(stored) if change else set()  # an entry moved to another member: both
        super().save_model(request, obj, form, change)
        compliance_summary_services.refresh(touched | {obj.member_id})

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: CreditEntry) -> None:
        member_id = obj.member_id
        super().delete_model(request, obj)
        compliance_summary_services.refresh([member_id])

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        member_ids = set(queryset.values_list("member_id", flat=True))
        super().delete_queryset(request, queryset)
        compliance_summary_services.refresh(member_ids)


@admin.register(CreditEntry.history.model)
class DeletedCreditEntryAdmin(admin.ModelAdmin):
    """Every saved version of every entry; deleted entries can be restored from here."""

    list_display = ["title", "member", "end_date", "credits", "history_type", "history_date"]
    list_filter = ["history_type"]
    search_fields = ["title", "member__asps_id", "member__last_name"]
    list_select_related = ["member"]
    actions = ["restore"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Restore the selected deleted entries")
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = services.entries_restore(history_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, f"Restored {restored} entr{'y' if restored == 1 else 'ies'}.", messages.SUCCESS
        )


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    """The review decisions kept with each claim: readable, never editable."""

    list_display = ["decided_at", "decision", "entry_title", "member", "decided_by"]
    list_filter = ["decision", "decided_at"]
    search_fields = ["entry_title", "member__asps_id", "member__last_name", "note"]
    list_select_related = ["member", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DocumentationAudit)
class DocumentationAuditAdmin(admin.ModelAdmin):
    list_display = ["created_at", "window_start", "window_end", "sample_size", "seed", "created_by"]
    filter_horizontal = ["members"]


class ApprovedActivityInline(admin.TabularInline):
    model = ApprovedActivity
    extra = 1
    fields = ["title", "format", "offered_by", "active"]


@admin.register(TracerProcedure)
class TracerProcedureAdmin(admin.ModelAdmin):
    """The ABPS list of tracer procedures, with the approved activities aligned with each."""

    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    inlines = [ApprovedActivityInline]


@admin.register(ApprovedActivity)
class ApprovedActivityAdmin(admin.ModelAdmin):
    """The ABPS's "ABPS-approved Educational Activities aligned with Tracer Procedures"
    (ABPS Continuous Certification)."""

    list_display = ["title", "tracer_procedure", "format", "offered_by", "active"]
    list_filter = ["active", "format", "tracer_procedure"]
    search_fields = ["title", "offered_by", "tracer_procedure__name"]
    list_select_related = ["tracer_procedure"]


@admin.register(CompletedTracerProcedure)
class CompletedTracerProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "member",
        "procedure",
        "completed_on",
        "approved_activity",
        "activity_completed_on",
    ]
    list_filter = ["procedure"]
    search_fields = ["member__asps_id", "member__last_name", "procedure__name"]
    list_select_related = ["member", "procedure", "approved_activity__tracer_procedure"]
    raw_id_fields = ["member"]
