"""Cross-cutting request rules: two-factor for staff, session lifetime, security headers."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

STAFF_PREFIXES = ("/staff/", "/admin/")
LOGIN_STARTED = "cmetrack.login_started"


class StaffTwoFactorMiddleware:
    """Staff pages open only once the staff user has two-factor authentication on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(STAFF_PREFIXES)
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                "Staff pages need two-factor authentication: set up an authenticator app first.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """An absolute lifetime on top of the idle timeout (SESSION_COOKIE_AGE, renewed on every
    request): after SESSION_ABSOLUTE_SECONDS since login, log in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.setdefault(LOGIN_STARTED, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "For your security, please log in again.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies (413) from their Content-Length, before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = (
            settings.MAX_IMPORT_REQUEST_BYTES
            if request.path.startswith("/staff/imports/")
            else settings.MAX_REQUEST_BYTES
        )
        if length > limit:
            message = f"The request is too large: at most {limit // (1024 * 1024)} MB."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
