"""What `make run` relies on: a Redis found or started, and the Procfiles naming web, worker and beat."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_redis_starts_when_none_answers(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import ensure_redis
    finally:
        sys.path.pop(0)
    monkeypatch.setattr(ensure_redis, "VAR", tmp_path)
    url = ensure_redis.start_embedded()
    pid = int((tmp_path / "redis.pid").read_text())
    try:
        client = redis.Redis.from_url(url)
        assert client.ping()
        client.set("maillon-test", "ok")
        assert client.get("maillon-test") == b"ok"
    finally:
        os.kill(pid, signal.SIGTERM)


def test_redis_url_from_the_environment_wins():
    env = {**os.environ, "REDIS_URL": "redis://example.invalid:1/3"}
    out = subprocess.run(
        [sys.executable, "scripts/ensure_redis.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "redis://example.invalid:1/3"


def test_procfiles_start_web_worker_and_beat():
    for name in ("Procfile", "Procfile.dev"):
        kinds = [line.split(":", 1)[0] for line in (ROOT / name).read_text().splitlines() if line.strip()]
        assert kinds == ["web", "worker", "beat"], name
