"""Counting the queries of a page: the tests hold them constant, the benchmark reports them.

In ``bench`` rather than ``tests`` because the benchmark may not import the tests (the tests
may import the benchmark; the apps import neither).
"""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def page_queries(client: Client, path: str) -> int:
    """The queries of one GET of ``path`` (which must answer 200).

    A first GET renews the session, which happens at most once a minute whatever the page
    (cmetrack.middleware.SessionLifetimeMiddleware): only the page's own queries are counted.
    """
    _get_ok(client, path)
    with CaptureQueriesContext(connection) as captured:
        _get_ok(client, path)
    return len(captured)


def _get_ok(client: Client, path: str) -> None:
    status = client.get(path).status_code
    if status != 200:
        raise AssertionError(f"{path} answered {status}, not 200")
