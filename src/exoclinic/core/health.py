"""Health checks for a load balancer or a supervisor.

``/healthz``: the process answers (liveness; touches nothing else, so a database outage does not get every
web process restarted). ``/readyz``: it can do its work: the database answers, the cache keeps a value,
and no background task has been waiting past ``EXOCLINIC["QUEUE_LATE_AFTER_SECONDS"]`` (120 s), which is
what a stopped Huey worker looks like. 503 with the failed checks named when it cannot.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .queue import oldest_due_delay

logger = logging.getLogger(__name__)


class NotReady(Exception):
    """A check that ran and found a problem (as opposed to one that crashed)."""


def _database(alias: str) -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache() -> dict:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise NotReady("the cache did not keep a value")
    return {}


def _queue() -> dict:
    from huey.contrib.djhuey import HUEY

    limit = settings.EXOCLINIC.get("QUEUE_LATE_AFTER_SECONDS", 120)
    delay = oldest_due_delay(HUEY)
    late = 0 if delay is None else round(delay.total_seconds())
    if late > limit:
        raise NotReady(
            f"the oldest due task has waited {late} s (limit {limit} s): is the worker (run_huey) running?"
        )
    return {"oldest_due_seconds": late}


def readiness_checks() -> dict[str, tuple]:
    checks = {"database": (_database, "default")}
    if "replica" in settings.DATABASES:
        checks["replica"] = (_database, "replica")
    checks["cache"] = (_cache,)
    checks["queue"] = (_queue,)
    return checks


def run_checks() -> tuple[bool, dict]:
    results = {}
    for name, (check, *args) in readiness_checks().items():
        started = time.perf_counter()
        try:
            result = {"ok": True, **check(*args)}
        except NotReady as problem:
            result = {"ok": False, "error": str(problem)}
        except Exception as exc:  # an outage of any kind: named, details in the log only
            logger.exception("readiness check %s failed", name)
            result = {"ok": False, "error": f"{name} unavailable ({type(exc).__name__})"}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(r["ok"] for r in results.values()), results


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "alive"})


@never_cache
@require_safe
def readyz(request):
    ready, checks = run_checks()
    body = {
        "status": "ready" if ready else "not ready",
        "failed": [name for name, result in checks.items() if not result["ok"]],
        "checks": checks,
    }
    return JsonResponse(body, status=200 if ready else 503)
