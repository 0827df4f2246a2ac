"""Health checks: database, Redis (the broker) and the time of the Celery worker's last beat."""

import hmac
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connection

from website.redis import redis_client

HEARTBEAT_KEY = "maillon:worker:heartbeat"


def record_heartbeat(now=None):
    redis_client().set(HEARTBEAT_KEY, f"{now or time.time():.3f}", ex=24 * 3600)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; its text goes in the report
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_redis():
    try:
        redis_client().ping()
    except redis.RedisError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_worker(now=None):
    try:
        raw = redis_client().get(HEARTBEAT_KEY)
    except redis.RedisError as exc:
        return {"ok": False, "error": exc.__class__.__name__, "last_beat_seconds_ago": None}
    if raw is None:
        return {"ok": False, "error": "no-heartbeat", "last_beat_seconds_ago": None}
    age = max(0.0, (now or time.time()) - float(raw))
    return {
        "ok": age <= settings.WORKER_HEARTBEAT_MAX_AGE,
        "last_beat_seconds_ago": round(age, 1),
    }


def report():
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    return all(c["ok"] for c in checks.values()), checks


def may_see_details(request):
    """A request carrying HEALTHZ_TOKEN, as the `X-Healthz-Token` header or the `token` query
    parameter, or staff (anyone who may open the admin)."""
    expected = settings.HEALTHZ_TOKEN
    given = request.headers.get("X-Healthz-Token") or request.GET.get("token", "")
    if expected and hmac.compare_digest(given.encode(), expected.encode()):
        return True
    try:
        user = request.user
        return user.is_active and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))
    except DatabaseError:
        # The session and the user are in the database: while it is down, only the token shows the
        # details, and the probe still gets its JSON answer (not the visitors' 503 page).
        return False
