from __future__ import annotations

from django.urls import path

from reports import staff, staff_audit, staff_imports, staff_invite

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("reviews/", staff.review_queue, name="reviews"),
    path("reviews/<int:pk>/", staff.review_claim, name="review"),
    path("members/", staff.member_search, name="members"),
    path("members/<str:asps_id>/", staff.member_detail, name="member"),
    path("audits/", staff.audits, name="audits"),
    path("audits/<int:pk>/", staff.audit_detail, name="audit"),
    path("imports/", staff_imports.imports, name="imports"),
    path("imports/<int:pk>/", staff_imports.import_run, name="import"),
    path("audit-log/", staff_audit.audit_log, name="audit_log"),
    path("invite/", staff_invite.invite_staff, name="invite"),
]
