"""`make bench` (`make bench QUICK=1`): start a production-like stack on loopback, run the three
benchmarks of issue 11 and write bench/results.json.

The stack: a PostgreSQL database of its own (and a second one with a tenth of the data, for query
counts), a Redis database of its own, gunicorn with the production settings, a Celery worker with two
processes, Postfix's smtp-sink and wrk (installed when missing). The data is generated once and kept
between runs. Every figure is printed beside a baseline measured in the same run; a benchmark fails only
when a correctness count is wrong (a delivery missing or doubled, seats beyond capacity).

Environment: BENCH_DATABASE (default maillon_bench; the tenth is <name>_tenth), BENCH_PG (server URL,
default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL (default database 15 of the Redis on
127.0.0.1:6379, else an embedded one), BENCH_SUBSCRIBERS (newsletter recipients, default 20000).
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results.json"
# Sizes: full run, then QUICK=1.
FULL = {"subscribers": 20000, "seconds": 8, "warmup": 2, "posts": 300, "capacity": 50, "clients": 32}
QUICK = {"subscribers": 2000, "seconds": 2, "warmup": 1, "posts": 120, "capacity": 25, "clients": 16}


PROBLEMS = []  # wrong correctness counts: the run writes its figures, then fails


def log(message):
    print(message, flush=True)


def problem(message):
    log(f"FAILED: {message}")
    PROBLEMS.append(message)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, what, process=None, timeout=60):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"{what} stopped at start (exit code {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{what} did not listen on port {port} within {timeout} s")


class Stack:
    """The processes a run starts; stopped (by their own pids) when it ends."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.processes = []
        self.env = dict(os.environ)
        self.web = None
        self.web_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"

    def start(self, command, log_name, stdout=None):
        out = open(self.workdir / log_name, "ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=stdout or out, stderr=out, start_new_session=True
        )
        self.processes.append(process)
        return process

    def stop(self, process, sig=signal.SIGTERM):
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self):
        for process in reversed(list(self.processes)):
            self.stop(process)

    def django(self, *args, capture=False):
        """Run `python <args>` with the stack's environment (manage.py commands, bench.data)."""
        result = subprocess.run(
            [PYTHON, *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            stdout=subprocess.PIPE if capture else None,
        )
        return result.stdout

    def gunicorn(self, workers):
        if self.web is not None:
            self.stop(self.web)
        self.web = self.start(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "website.wsgi",
                f"--bind=127.0.0.1:{self.web_port}",
                f"--workers={workers}",
                "--log-level=warning",
            ],
            "gunicorn.log",
        )
        wait_for_port(self.web_port, "gunicorn", self.web)

    def worker(self):
        self.celery = self.start(
            [
                str(Path(PYTHON).parent / "celery"),
                "-A",
                "website",
                "worker",
                "-Q",
                "celery,newsletter",
                "--concurrency=2",
                "--pool=prefork",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            "worker.log",
        )

    def worker_peak_rss_mb(self):
        """The largest peak resident size (VmHWM) among the worker's processes, in MB."""
        pids, peaks = [self.celery.pid], []
        while pids:
            pid = pids.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                pids += Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return round(max(peaks), 1) if peaks else None


class Sink:
    """Postfix's smtp-sink on loopback. Each accepted message is dumped into a FIFO that `grep` reads,
    keeping only the recipient lines: a run can count deliveries per address without writing messages
    to disk."""

    def __init__(self, stack):
        self.port = free_port()
        directory = stack.workdir / "sink"
        directory.mkdir(exist_ok=True)
        directory.chmod(0o777)  # smtp-sink runs as nobody
        fifo = directory / "dump"
        if not fifo.exists():
            os.mkfifo(fifo)
        fifo.chmod(0o666)
        self.recipients = stack.workdir / "recipients.txt"
        self.recipients.write_text("")
        # Our read-write descriptor keeps the FIFO open between messages, so grep never sees its end.
        self.holder = os.open(fifo, os.O_RDWR)
        with open(self.recipients, "wb") as out:
            self.reader = stack.start(
                ["grep", "--line-buffered", "-a", "^X-Rcpt-Args: ", str(fifo)], "grep.log", stdout=out
            )
        self.sink = stack.start(
            [sink_binary(), "-u", "nobody", "-D", str(fifo), f"127.0.0.1:{self.port}", "1000"], "sink.log"
        )
        wait_for_port(self.port, "smtp-sink", self.sink)
        self.url = f"smtp://127.0.0.1:{self.port}"

    def mark(self):
        return self.recipients.stat().st_size

    def recipients_since(self, offset, prefix):
        with open(self.recipients, "rb") as lines:
            lines.seek(offset)
            found = [line[len(b"X-Rcpt-Args: ") :].strip(b"<>\r\n").decode() for line in lines]
        return [address for address in found if address.startswith(prefix)]


def sink_binary():
    return shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"


def ensure_tools(chosen):
    """smtp-sink (Postfix) for every run; wrk only for the pages."""
    needed = [("postfix", Path(sink_binary()).exists())]
    if "pages" in chosen:
        needed.append(("wrk", shutil.which("wrk")))
    missing = [p for p, present in needed if not present]
    if missing:
        log(f"Installing {' '.join(missing)} (Debian packages) for the benchmarks.")
        subprocess.run([str(ROOT / "scripts" / "ensure_bench_tools.sh"), *missing], check=True)


def ensure_database(server, name):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"Creating the PostgreSQL database {name}.")
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def redis_url(stack):
    if os.environ.get("BENCH_REDIS_URL"):
        return os.environ["BENCH_REDIS_URL"]
    sys.path.insert(0, str(ROOT / "scripts"))
    import ensure_redis

    if ensure_redis.answers_ping("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/15"
    url = ensure_redis.start_embedded()
    stack.embedded_redis = True
    return url.rsplit("/", 1)[0] + "/15"


def collect_static(stack):
    """The production storage needs the manifest; it is rebuilt only when a static file is newer."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = [p for p in ROOT.glob("*/static/**/*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    log("Collecting static files (production storage).")
    stack.django("manage.py", "collectstatic", "--noinput", "-v0")


def prepare(stack, sizes):
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    name = os.environ.get("BENCH_DATABASE", "maillon_bench")
    databases = {"full": ensure_database(server, name), "tenth": ensure_database(server, f"{name}_tenth")}
    stack.env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="False",
        SITE_URL=stack.base_url,
        REDIS_URL=redis_url(stack),
        PUBLIC_FORM_RATE="1000000/m",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=str(stack.workdir / "media"),
    )
    import redis

    redis.Redis.from_url(stack.env["REDIS_URL"]).flushdb()  # our own database only
    started = time.monotonic()
    for scale, key in ((1.0, "full"), (0.1, "tenth")):
        stack.env["DATABASE_URL"] = databases[key]
        stack.django("manage.py", "migrate", "--noinput", "-v0")
        subscribers = sizes["subscribers"] if key == "full" else 0
        added = json.loads(
            stack.django("-m", "bench.data", "seed", str(scale), str(subscribers), capture=True)
        )
        if any(added.values()):
            log(f"Data ({key}): added {added}.")
    log(f"Databases ready in {time.monotonic() - started:.0f} s ({databases['full']}, {databases['tenth']}).")
    collect_static(stack)
    return databases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under two minutes")
    parser.add_argument("--only", choices=["pages", "registration", "newsletter"], action="append")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if os.environ.get("BENCH_SUBSCRIBERS"):
        sizes["subscribers"] = int(os.environ["BENCH_SUBSCRIBERS"])
    chosen = args.only or ["pages", "registration", "newsletter"]
    began = time.monotonic()
    # A SIGTERM (timeout, Ctrl-C from make) still stops the stack: the `finally` below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_tools(chosen)
    workdir = Path(os.environ.get("BENCH_WORKDIR", f"/tmp/maillon-bench-{os.getuid()}"))
    workdir.mkdir(parents=True, exist_ok=True)
    stack = Stack(workdir)
    results = []
    try:
        sink = Sink(stack)
        stack.env["EMAIL_URL"] = sink.url
        databases = prepare(stack, sizes)
        stack.env["DATABASE_URL"] = databases["full"]
        os.environ.update(stack.env)  # this process reads the full database too (Django, below)
        import django

        django.setup()
        stack.worker()
        from bench import newsletter, pages, registration

        if "pages" in chosen:
            stack.gunicorn(workers=2)
            results += pages.run(stack, sizes, databases)
        if "registration" in chosen:
            stack.gunicorn(workers=4)
            results += registration.run(stack, sizes)
        if "newsletter" in chosen:
            results += newsletter.run(stack, sink, sizes)
    except BaseException:
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")  # what was measured
        raise
    finally:
        stack.stop_all()
        if getattr(stack, "embedded_redis", False):
            subprocess.run(["kill", (ROOT / "var" / "redis.pid").read_text().strip()], check=False)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    log(f"Wrote {RESULTS.relative_to(ROOT)} ({len(results)} figures) in {time.monotonic() - began:.0f} s.")
    if PROBLEMS:
        sys.exit(f"{len(PROBLEMS)} correctness check(s) failed: " + "; ".join(PROBLEMS))


def figure(name, value, unit, baseline=None, **params):
    """One result line: printed, and returned for results.json."""
    ratio = round(value / baseline, 3) if baseline else None
    shown = f"{name}: {value:,.1f} {unit}"
    if baseline:
        shown += f" (baseline {baseline:,.1f}, ratio {ratio:.3f})"
    details = ", ".join(
        f"{key} {value}" for key, value in params.items() if not isinstance(value, str | dict)
    )
    log(f"{shown}; {details}" if details else shown)
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": ratio,
        "params": params,
    }
