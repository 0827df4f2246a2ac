"""The cache that a Redis outage cannot take down.

Django's RedisCache raises as soon as Redis stops answering, and every page reads the cache (Wagtail's
site lookup, rate limits). `FailOpenRedisCache` keeps Django's backend and, while Redis does not answer,
serves each call from a local-memory cache of this process instead: pages render, rate limits count per
process. After an error Redis is left alone for `RETRY_AFTER` seconds, so an outage costs one failed
call per process every few seconds, not one per cache call.

What a visitor could notice: entries written or deleted during the outage stay local to one process,
and a delete made during the outage never reaches Redis (those entries expire with their timeout).
"""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Django makes one cache object per thread; the outage is the process's news, shared by its threads.
_down_until = {}
_lock = threading.Lock()


class ReusedRedisClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` (and copies its ~200 response callbacks) for every
    call; one per connection pool does the same work (`redis.Redis` is thread-safe)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = options.pop("RETRY_AFTER", 5)
        # A Redis that accepts connections and never answers must not hold a request for long either.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedRedisClient
        self._name = f"{server}|{params.get('KEY_PREFIX', '')}"
        local = {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION") if key in params}
        self.local = LocMemCache(f"fail-open:{self._name}", {**local, "OPTIONS": {"MAX_ENTRIES": 5000}})

    def is_down(self):
        """Whether this process is serving from its local copy (Redis failed within RETRY_AFTER)."""
        return time.monotonic() < _down_until.get(self._name, 0)

    def _call(self, method, *args):
        return self._either(
            lambda: getattr(RedisCache, method)(self, *args), lambda: getattr(self.local, method)(*args)
        )

    def _either(self, on_redis, on_local):
        if self.is_down():
            return on_local()
        try:
            return on_redis()
        except redis.RedisError as exc:
            with _lock:
                was_up = time.monotonic() >= _down_until.get(self._name, 0)
                _down_until[self._name] = time.monotonic() + self.retry_after
            if was_up:
                logger.warning(
                    "Cache Redis injoignable (%s) : cache local pendant %ss.", exc, self.retry_after
                )
            return on_local()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._either(self._clear_own_keys, self.local.clear)

    def _clear_own_keys(self):
        # Django's RedisCache.clear() is FLUSHDB: in the broker's database it would drop queued tasks too.
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
