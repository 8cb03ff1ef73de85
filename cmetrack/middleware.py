"""Cross-cutting request rules: two-factor for staff, session lifetime, security headers."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty

from cmetrack.http import CONTROL_CHARACTERS, without_control_characters
from members import access

LOGIN_STARTED = "cmetrack.login_started"
SESSION_RENEWED = "cmetrack.session_renewed"


class StaffTwoFactorMiddleware:
    """CME staff without two-factor who ask for another member's data set it up first.

    The decision is :mod:`members.access`'s (by predicate, on every route that shows another
    member's data); this only turns its :class:`~members.access.TwoFactorRequired` into the
    set-up page for a browser and a 403 that says so for the API.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, access.TwoFactorRequired):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": access.TWO_FACTOR_MESSAGE}, status=403)
        messages.warning(request, access.TWO_FACTOR_MESSAGE)
        return redirect("mfa_activate_totp")


class SessionLifetimeMiddleware:
    """The idle timeout and an absolute lifetime of a logged-in session.

    Idle: a session expires SESSION_COOKIE_AGE after it was last saved, and saving it renews
    the cookie too. Saving on every request (SESSION_SAVE_EVERY_REQUEST) would cost every page
    a write and a commit; the session is renewed instead when its last renewal is
    SESSION_RENEW_SECONDS old, so a member who keeps using the site stays logged in and one
    who leaves is logged out between SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS and
    SESSION_COOKIE_AGE later.

    Absolute: after SESSION_ABSOLUTE_SECONDS since login, log in again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_STARTED, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "For your security, please log in again.")
                return redirect(settings.LOGIN_URL)
            if now - request.session.get(SESSION_RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED] = now  # modified: saved, expiry moved on
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


class CleanQueryParametersMiddleware:
    """Paths and query parameters reach views without NUL or other control characters.

    No search box, filter or identifier on the site needs them, and a NUL byte in a query
    sent to PostgreSQL is an error. Query parameters are cleaned here once, before any view,
    form, DRF filter or paginator reads ``request.GET``, names and values alike. No page's
    address holds one either: a path with one (``/verify/<NUL>/``) is a 404 before any view
    turns part of it into a query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL_CHARACTERS.search(request.path_info):
            raise Http404("No such page.")
        if any(
            CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(v) for v in values)
            for name, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                cleaned.setlist(
                    without_control_characters(name),
                    [without_control_characters(value) for value in values],
                )
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """``Cache-Control: no-store, private`` on every response to an authenticated request.

    A member's dashboard, report, certificate or API answer must not be kept by a shared
    proxy or by the browser's back/forward cache on a shared computer. Authenticated means a
    logged-in session or an ``Authorization`` header (API tokens). Directives a view already
    set are kept (``patch_cache_control`` adds to them), so nothing becomes less strict.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._authenticated(request):
            patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def _authenticated(request: HttpRequest) -> bool:
        if "HTTP_AUTHORIZATION" in request.META:
            return True
        user = getattr(request, "user", None)
        if user is None:
            return False
        # Without a session cookie, and with the user never looked at (a login sets it), nobody
        # is logged in: don't load a session just to find out (it would add "Vary: Cookie").
        unevaluated = isinstance(user, SimpleLazyObject) and user._wrapped is empty
        if unevaluated and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        return bool(user.is_authenticated)
