"""Public pages: wrk -c8 per URL after a warm-up, with /healthz/live/ (same middleware, no work) measured
right after each as its baseline; p50 and p99; SQL queries of one request at full and a tenth of the data."""

import json
import math
import re
import subprocess
import time
import urllib.request

from bench.run import figure, log

LIVENESS = "/healthz/live/"
# {post} and {event}: a generated post and event, resolved in each database (bench.data.resolve).
PATHS = [
    "/",
    "/babillard/",
    "/babillard/?type=offre&categorie=transport",
    "{post}",
    "/evenements/",
    "{event}",
    "/infolettre/archives/",
    "/babillard/rss/",
    "/recherche/?q=transport",
    "/evenements/calendrier.ics",
]


def wrk(url, seconds, connections=8):
    """req/s, p50 and p99 (ms) and the count of non-2xx/3xx answers."""
    out = subprocess.run(
        ["wrk", f"-c{connections}", "-t2", f"-d{seconds}s", "--timeout=10s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {
        q: to_ms(v, unit) for q, v, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    failed = (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return rate, latency.get("50"), latency.get("99"), failed


def to_ms(value, unit):
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)


def queries(stack, database, paths):
    env_url = stack.env["DATABASE_URL"]
    stack.env["DATABASE_URL"] = database
    try:
        return json.loads(stack.django("-m", "bench.data", "queries", *paths, capture=True))
    finally:
        stack.env["DATABASE_URL"] = env_url


def run(stack, sizes, databases):
    from bench.data import resolve

    full, tenth = queries(stack, databases["full"], PATHS), queries(stack, databases["tenth"], PATHS)
    results = []
    for path in PATHS:
        url = stack.base_url + resolve(path)
        began = time.monotonic()
        status = urllib.request.urlopen(url, timeout=60).status
        single = time.monotonic() - began
        if status != 200:
            raise SystemExit(f"{url}: HTTP {status}")
        # Long enough for a few rounds of 8 requests on 2 workers, however slow the page.
        seconds = min(30, max(sizes["seconds"], math.ceil(single * 12)))
        wrk(url, sizes["warmup"])
        rate, p50, p99, failed = wrk(url, seconds)
        time.sleep(min(10, single * 3))  # requests queued when wrk stopped still hold the workers
        base_rate, base_p50, base_p99, _ = wrk(stack.base_url + LIVENESS, sizes["seconds"])
        if failed:
            log(f"  {path}: {failed} requests failed or timed out")
        results.append(
            figure(
                f"page:{resolve(path)}",
                rate,
                "req/s",
                base_rate,
                p50_ms=p50,
                p99_ms=p99,
                queries=full[path],
                queries_tenth=tenth[path],
                failed=failed,
                baseline_p99_ms=base_p99,
                connections=8,
                seconds=seconds,
            )
        )
    return results
