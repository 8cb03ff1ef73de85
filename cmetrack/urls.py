from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path

from cmetrack.health import healthz
from members import access
from members import views as member_views
from reports.views import dashboard

# The admin's own login would bypass allauth's rate limits and two-factor: send it there.
_admin_login = secure_admin_login(admin.site.login)


def _admin_login_or_forbidden(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Where the admin sends whoever may not use it. Visitors go to allauth's login; a signed-in
    member or ``is_staff`` account outside CME staff gets the site's 403 page (templates/403.html),
    not the admin's "log in as another user" form."""
    if request.user.is_authenticated and not access.is_cme_staff(request.user):
        if access.needs_two_factor(request.user):
            raise access.TwoFactorRequired
        raise PermissionDenied("The administration pages are for CME staff.")
    return _admin_login(request, extra_context)


admin.site.login = _admin_login_or_forbidden
admin.site.site_header = "CME Track administration"


def _admin_has_permission(request: HttpRequest) -> bool:
    """The admin is for CME staff with two-factor (members.access), not any ``is_staff``."""
    if access.needs_two_factor(request.user):
        raise access.TwoFactorRequired
    return access.is_cme_staff(request.user)


admin.site.has_permission = _admin_has_permission

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/verify-email/",
        member_views.send_email_verification,
        name="send_email_verification",
    ),
    # A member's invitation: allauth's password-from-key page, as a welcome (members.views).
    path(
        "accounts/",
        include(
            [
                re_path(
                    r"^welcome/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
                    member_views.WelcomeView.as_view(),
                    name="account_welcome",
                )
            ]
        ),
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("credits/", include("credits.urls")),
    path("staff/", include("staff.urls")),
    path("api/v1/", include("cmetrack.api_urls")),
    path("", dashboard, name="dashboard"),
    path("", include("reports.urls")),
]

handler404 = "cmetrack.errors.not_found"
handler403 = "cmetrack.errors.forbidden"
handler500 = "cmetrack.errors.server_error"
