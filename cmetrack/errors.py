"""Error pages: the API answers in JSON (its documented error shape), pages in HTML.

The HTML pages are templates/403.html, 404.html and 500.html, styled like the rest of the
site. 500.html is rendered without a request context (Django's ``server_error``): it must not
need the database, the session or a context processor, since any of them may be what failed.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import page_not_found, permission_denied
from django.views.defaults import server_error as html_server_error
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return permission_denied(request, exception)


# The database (or Redis, the cache of the rate limits and sessions' locks) not answering:
# restarting, unreachable. The request's transaction was rolled back, so nothing of it was
# written, and trying again later works (docs/operations.md).
DATABASE_DOWN = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database is not answering (Django calls this
    while handling the exception, so it is still ``sys.exc_info()``)."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return html_server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        response: HttpResponse = JsonResponse(
            {"detail": "The service is briefly unavailable; nothing was saved. Try again."},
            status=503,
        )
    else:
        html = loader.get_template("500.html").render({"unavailable": True})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
