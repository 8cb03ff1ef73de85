"""The project's URLs plus ``/bench/baseline/``: a bare view that runs one query."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def baseline(request: HttpRequest) -> HttpResponse:
    """What any Django page costs at least: the stack, one query, a small answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return HttpResponse(f"ok {value}", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("cmetrack.urls")),
]
