"""``/healthz``: are the database, the cache and (when one is configured) the broker answering?"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return "error"
    return "ok"


def cache_status() -> str:
    """A set/get round trip: logins, password resets and rate limits all need the cache, so
    a cache that is down (Redis stopped) is an unhealthy site, not a healthy one."""
    key = f"cmetrack:healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:  # every cache backend raises its own errors (redis, database, ...)
        logger.exception("Health check: the cache did not answer")
        return "error"
    if answered != value:
        logger.error("Health check: the cache did not keep a value")
        return "error"
    return "ok"


def broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured"
    from cmetrack.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # kombu raises many transport-specific errors
        logger.exception("Health check: the broker did not answer")
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": database_status(),
        "cache": cache_status(),
        "broker": broker_status(),
    }
    healthy = "error" not in checks.values()
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
