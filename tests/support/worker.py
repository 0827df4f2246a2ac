"""A real Celery worker process, running against the test database and a test Redis database."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_url():
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryWorker:
    def __init__(self, email_url, concurrency=1, name="w1", queues="celery", env=None, beat=False):
        """With `beat`, the worker also runs Celery beat (the settings' schedule) in its process."""
        self.email_url = email_url
        self.beat = beat
        self.concurrency = concurrency
        self.name = name
        self.queues = queues
        self.extra_env = env or {}
        self.process = None

    def env(self):
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "website.settings.test",
                "DATABASE_URL": test_database_url(),
                "TEST_REDIS_URL": settings.REDIS_URL,
                "EMAIL_URL": self.email_url,
                **self.extra_env,
            }
        )
        return env

    def start(self, timeout=60):
        return self.launch().wait_ready(timeout)

    def launch(self):
        """Starts the process without waiting: importing Django and Wagtail takes it about 2.5 s, which
        several workers spend side by side (`start_all`)."""
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "website",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                self.queues,
                f"--hostname={self.name}@%h",
                *(
                    ["--beat", f"--schedule={tempfile.mkdtemp(prefix='maillon-beat-')}/schedule"]
                    if self.beat
                    else []
                ),
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        for line in self.process.stdout:
            if " ready." in line:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start in time")
        else:
            raise RuntimeError(f"the Celery worker exited with {self.process.wait()}")
        # Keep draining its output so the pipe never fills and blocks the worker.
        self.log = []
        threading.Thread(target=lambda: self.log.extend(self.process.stdout), daemon=True).start()
        return self

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def dismiss(self):
        """A warm shutdown (SIGTERM: its consumer stops at once, reserved tasks go back to the queue)
        that the test does not wait for: billiard then takes about 1.5 s to join its pool, spent beside
        the next test. The session waits for every dismissed worker before its test database goes
        (`wait_for_dismissed`, tests/conftest.py)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            _dismissed.append(self)


_dismissed = []


def start_all(workers, timeout=60):
    """Starts several workers side by side and returns them once each is ready."""
    for worker in workers:
        worker.launch()
    return [worker.wait_ready(timeout) for worker in workers]


def wait_for_dismissed(timeout=30):
    while _dismissed:
        worker = _dismissed.pop()
        try:
            worker.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait()


def purge_test_queue():
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
