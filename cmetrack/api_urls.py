"""``/api/v1/``: the REST API, its OpenAPI schema and its docs (docs/api.md)."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from credits import api, api_auth

router = SimpleRouter(use_regex_path=False)
router.register("credits", api.CreditEntryViewSet, basename="credit")

urlpatterns = [
    path("auth/token/", api_auth.TokenView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("compliance/", api.ComplianceView.as_view(), name="api-compliance"),
    path("providers/", api.ProviderList.as_view(), name="api-providers"),
    path("activities/", api.ActivityList.as_view(), name="api-activities"),
    path("activities/<str:code>/", api.ActivityDetail.as_view(), name="api-activity"),
    path("certificates/read/", api.CertificateReadView.as_view(), name="api-certificate-read"),
    path("reviews/", api.ReviewList.as_view(), name="api-reviews"),
    path("reviews/<int:entry_id>/decision/", api.DecisionView.as_view(), name="api-decision"),
    path("staff/compliance/", api.StaffComplianceList.as_view(), name="api-staff-compliance"),
    path(
        "staff/compliance/summary/",
        api.StaffComplianceSummary.as_view(),
        name="api-staff-compliance-summary",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    # Swagger UI sets inline styles from its own script, so this one page allows them.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    *router.urls,
]
