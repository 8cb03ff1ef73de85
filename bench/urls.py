"""The project's URLs plus the bench's baselines: bare views that run one query, anonymous,
behind a member's session, and behind an API token (the floor of the compliance API)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


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


class TokenBaseline(APIView):
    """The same through the API's stack with a member's token: authentication (the project's
    token class, docs/api.md), the permission check, one query, a JSON answer."""

    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            (value,) = cursor.fetchone()
        return Response({"ok": value})


urlpatterns = [
    path("bench/baseline/", baseline),
    path("bench/baseline/member/", member_baseline),
    path("bench/baseline/token/", TokenBaseline.as_view()),
    path("", include("cmetrack.urls")),
]
