from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/cme/", views.report_page, name="cme"),
    path("reports/cme/pdf/", views.report_pdf, name="cme_pdf"),
    path("reports/cme/csv/", views.report_csv, name="cme_csv"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
