"""The staff pages, under ``/staff/`` (cmetrack.urls). The imports' pages stay in
``reports.staff_imports`` and are wired here with the rest."""

from __future__ import annotations

from django.urls import path

from reports import staff_imports
from staff import (
    compliance_views,
    documentation_audit_views,
    group_reminder_views,
    invite_views,
    member_views,
    review_views,
    security_log_views,
)

app_name = "staff"

urlpatterns = [
    path("", compliance_views.overview, name="home"),
    path("reviews/", review_views.review_queue, name="reviews"),
    path("reviews/<int:pk>/", review_views.review_claim, name="review"),
    path("members/", member_views.member_search, name="members"),
    # Before the member's page: "at-risk" is no ASPS ID (letters and digits only).
    path("members/at-risk/", compliance_views.at_risk, name="at_risk"),
    path("members/at-risk.csv", compliance_views.at_risk_csv, name="at_risk_csv"),
    path(
        "members/projected-standing/",
        compliance_views.projected_standing,
        name="projected_standing",
    ),
    path("members/<str:asps_id>/", member_views.member_detail, name="member"),
    path("audits/", documentation_audit_views.documentation_audits, name="audits"),
    path("audits/<int:pk>/", documentation_audit_views.documentation_audit, name="audit"),
    path("imports/", staff_imports.imports, name="imports"),
    path("imports/<int:pk>/", staff_imports.import_run, name="import"),
    path(
        "imports/<int:pk>/rejected.csv",
        staff_imports.import_rejections_csv,
        name="import_rejections_csv",
    ),
    path("audit-log/", security_log_views.security_log, name="security_log"),
    path("invite/", invite_views.invite_staff, name="invite"),
    path("reminders/", group_reminder_views.group_reminders, name="group_reminders"),
    path("reminders/new/", group_reminder_views.group_reminder_new, name="group_reminder_new"),
    path("reminders/<int:pk>/", group_reminder_views.group_reminder, name="group_reminder"),
    path(
        "reminders/<int:pk>/status/",
        group_reminder_views.group_reminder_status,
        name="group_reminder_status",
    ),
]
