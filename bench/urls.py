"""The project's URLs plus ``/bench/baseline/``: a bare view that runs one query."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def baseline(request: HttpRequest) -> HttpResponse:
    """What any Django page costs at least: the stack, one query, a small answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return HttpResponse(f"ok {value}", content_type="text/plain")


@login_required
def member_baseline(request: HttpRequest) -> HttpResponse:
    """The same for a logged-in member: what the session and the login add to any page."""
    return baseline(request)


urlpatterns = [
    path("bench/baseline/", baseline),
    path("bench/baseline/member/", member_baseline),
    path("", include("cmetrack.urls")),
]
