from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest

from . import signals
from .models import AuditEvent, Member, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = [
        "asps_id",
        "last_name",
        "first_name",
        "membership_type",
        "standing",
        "cycle_start",
        "asaps_member",
        "abps_certification_year",
    ]
    list_filter = [
        "membership_type",
        "standing",
        "asps_member",
        "asaps_member",
        "abps_special_circumstances",
        "country",
    ]
    search_fields = ["asps_id", "first_name", "last_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Member, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or "cycle_start" in form.changed_data:
            signals.cycles_changed([obj.pk])  # the compliance summaries follow the cycle


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Readable by staff, never editable."""

    list_display = ["at", "action", "actor_email", "ip", "target"]
    list_filter = ["action"]
    search_fields = ["actor_email", "target", "ip"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
