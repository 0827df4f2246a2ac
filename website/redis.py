"""The shared Redis client: one client (and connection pool) per process and URL.

Used by the health checks, the worker heartbeat, the newsletter's rate limit and its batch-chain leases.
Callers catch `redis.RedisError`: Redis may be down, and nothing that must survive depends on it alone.
"""

import functools

import redis
from django.conf import settings


def redis_client():
    return _client_for(settings.REDIS_URL)


@functools.lru_cache(maxsize=4)
def _client_for(url):
    # One client per process: the newsletter's rate limit calls this per message.
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
