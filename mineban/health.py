"""Health endpoints for load balancers, compose and the benchmark.

``/healthz``: the process answers and reaches the database (one query). It is also the
benchmark's floor: the cheapest request that still does real work.

``/readyz``: everything a request or an edit depends on — the database, Redis (the broker and
the cache), a Celery worker seen recently, and how long the oldest pending recompute request
has waited (a growing age means edits are not reaching the alerts). 503 when any check fails.
"""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from mineban.models import RecomputeRequest

WORKER_SEEN_KEY = "mineban:health:worker-seen"
BEAT_SEEN_KEY = "mineban:health:beat-seen"
# The task only beat sends, every minute: its publication shows beat is alive.
BEAT_TASK = "obligations.tasks.recompute_sweep"
# The sweep runs every minute from beat, so a live worker runs a task at least that often.
WORKER_SEEN_WITHIN_SECONDS = 180
# Longer than the sweep's delay plus a recompute: a request this old was lost or is stuck.
RECOMPUTE_WAIT_LIMIT_SECONDS = 600


def worker_seen() -> None:
    """Called by a Celery worker when it starts and after each task (``mineban.celery``)."""
    cache.set(WORKER_SEEN_KEY, time.time(), timeout=None)


def beat_seen() -> None:
    """Called when beat has sent its every-minute sweep (``mineban.celery``)."""
    cache.set(BEAT_SEEN_KEY, time.time(), timeout=None)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not configured: tasks run in-process, the cache is local"}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    client.ping()
    return {"ok": True}


def _worker() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": "tasks run in-process"}
    seen = cache.get(WORKER_SEEN_KEY)
    if seen is None:
        return {"ok": False, "detail": "no worker seen"}
    age = round(time.time() - float(seen), 1)
    return {"ok": age <= WORKER_SEEN_WITHIN_SECONDS, "seconds_since_seen": age}


def _recompute_backlog() -> dict[str, Any]:
    oldest = (
        RecomputeRequest.objects.filter(processed_at__isnull=True)
        .order_by("requested_at")
        .values_list("requested_at", flat=True)
        .first()
    )
    if oldest is None:
        return {"ok": True, "oldest_pending_seconds": 0}
    age = round((timezone.now() - oldest).total_seconds(), 1)
    return {"ok": age <= RECOMPUTE_WAIT_LIMIT_SECONDS, "oldest_pending_seconds": age}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, Any]] = {}
    for name, check in (
        ("database", _database),
        ("redis", _redis),
        ("worker", _worker),
        ("recompute_backlog", _recompute_backlog),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # a failed check is an answer, not a 500
            checks[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"}
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
