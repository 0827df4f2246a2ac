"""Handing a task to Celery never fails a request.

The work a task does is already a database row (an outbox email, a newsletter send), and a periodic
sweep hands rows left behind to a worker. So when Redis is down, publishing is logged and skipped; the
caller may mark its row as due for the next sweep. After a failure, publishing is not tried again for
PAUSE seconds: an outage costs each process one slow attempt, not one per request.
"""

import logging
import time

from django.db import transaction

logger = logging.getLogger(__name__)

PAUSE = 5.0
# One quick retry: the first publish after Redis restarts meets a dead pooled connection.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
_paused_until = 0.0


def publish(task, *args):
    """Queue `task(*args)`. True if the broker took it; False (logged) if it could not."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return False
    try:
        task.apply_async(args=args, retry=True, retry_policy=RETRY_POLICY)
    except Exception as exc:  # kombu, redis and socket errors alike: the row waits for the sweep
        _paused_until = time.monotonic() + PAUSE
        logger.warning("Tâche %s non publiée (%s) : le balayage la reprendra.", task.name, exc)
        return False
    return True


def publish_on_commit(task, *args, on_failure=None):
    """Queue `task(*args)` once the current transaction commits; call `on_failure()` if that fails."""

    def hand_over():
        if not publish(task, *args) and on_failure is not None:
            on_failure()

    transaction.on_commit(hand_over, robust=True)
