"""`make test` runs the suite in several pytest-xdist processes: each must have its own Redis database,
test database and media folder, or one process's flushes and files would reach another's tests."""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support.database import copy_sqlite, worker_database_name
from tests.support.redis_plugin import worker_database

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.mark.parametrize(
    "url, worker, expected",
    [
        ("redis://127.0.0.1:6381/1", "", "redis://127.0.0.1:6381/1"),
        ("redis://127.0.0.1:6381/1", "gw0", "redis://127.0.0.1:6381/1"),
        ("redis://127.0.0.1:6381/1", "gw3", "redis://127.0.0.1:6381/4"),
        ("redis://127.0.0.1:6379/15", "gw1", "redis://127.0.0.1:6379/14"),
        ("redis://127.0.0.1:6379/15", "gw3", "redis://127.0.0.1:6379/12"),
        ("redis://127.0.0.1:6379", "gw2", "redis://127.0.0.1:6379/2"),
        ("redis://127.0.0.1:6379/0?socket_timeout=5", "gw1", "redis://127.0.0.1:6379/1?socket_timeout=5"),
    ],
)
def test_each_worker_process_has_its_own_redis_database(url, worker, expected):
    assert worker_database(url, worker) == expected


def test_this_process_uses_its_own_redis_database_test_database_and_media(django_db_setup):
    """After the session has set up its test database (this test needs no database, so it may run first)."""
    if not WORKER:
        pytest.skip("one process: nothing to share")
    # redis_plugin derived TEST_REDIS_URL for this worker before the settings read it.
    assert settings.REDIS_URL == settings.CELERY_BROKER_URL == os.environ["TEST_REDIS_URL"]
    assert settings.MEDIA_ROOT.endswith(f"test-media-{WORKER}")
    assert connection.settings_dict["TEST"]["NAME"].endswith(f"_{WORKER}")


def test_a_worker_database_is_a_consistent_copy_of_the_template(tmp_path):
    template = str(tmp_path / "test.sqlite3")
    with closing(sqlite3.connect(template)) as db:
        db.execute("PRAGMA journal_mode=wal")
        db.execute("CREATE TABLE page (id INTEGER PRIMARY KEY, title TEXT)")
        db.executemany("INSERT INTO page (title) VALUES (?)", [("Accueil",), ("Événements",)])
        db.commit()
        # Still open, its rows in the write-ahead log: the copy must carry them all the same.
        target = worker_database_name(template, 2)
        Path(f"{target}-wal").write_bytes(b"stale")  # left by an earlier run
        copy_sqlite(template, target)
    assert target.endswith("test.sqlite3_gw2")
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT title FROM page ORDER BY id").fetchall() == [
            ("Accueil",),
            ("Événements",),
        ]
