"""The test database between sessions (pytest --reuse-db), and the migrated one kept for the next run."""

import hashlib
import os
import re
import sqlite3
import sys
from contextlib import closing
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from wagtail.contrib.forms.utils import get_form_types


def reused_database_was_flushed():
    """Whether the test database a --reuse-db session would reuse lacks the rows its migrations wrote.

    pytest-django runs the transactional tests last, and each ends with a flush: a session that ran one
    leaves the test database empty (no Wagtail root page, site, locale or editors' groups). Migrations
    do not run again on a reused database, so the next session's tests would start without them.
    Asked before the test database is set up (the connection still names the development database).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    return was_flushed(connection.creation._get_test_db_name())


def was_flushed(name):
    """Whether the database `name` has tables but not Wagtail's root page (written by a migration)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and not Path(name).exists():
        return False  # nothing to reuse: Django creates it
    probe = type(connection)({**connection.settings_dict, "NAME": name}, alias="reuse-db-probe")
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1 FROM wagtailcore_page WHERE depth = 1")
            return cursor.fetchone() is None
    except DatabaseError:
        return False  # no database or no tables yet: Django creates or migrates it
    finally:
        probe.close()


# pytest-xdist: the controller process migrates the test database once (the template), then copies it for
# each worker process under the name pytest-django gives that worker's test database (`<name>_gw0`…):
# a copy takes a moment where each worker migrating its own database took as long as a serial run's start.
CLONED = "MAILLON_TEST_DATABASES_CLONED"  # set for the workers once their databases are ready


def prepare_worker_databases(workers, keepdb):
    """Create (or, with `keepdb`, reuse) the template and give each of `workers` its copy. With `keepdb`
    a worker's database that still has its migrated rows is kept as the last session left it."""
    connection = connections[DEFAULT_DB_ALIAS]
    name = connection.creation._get_test_db_name()
    restored = not (keepdb and is_migrated(name)) and restore_migrated(name)
    template = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=keepdb or restored
    )
    if not (keepdb or restored):
        keep_migrated(template)
    connection.close()
    for index in range(workers):
        target = worker_database_name(template, index)
        if keepdb and is_migrated(target):
            continue
        if connection.vendor == "sqlite":
            copy_sqlite(template, target)
        else:
            connection.creation._clone_test_db(f"gw{index}", verbosity=0, keepdb=False)
    os.environ[CLONED] = template


def destroy_worker_databases(workers):
    """Drop the template and the workers' copies at the end of a run that does not keep them."""
    template = os.environ.pop(CLONED, None)
    if not template:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    for index in range(workers):
        connection.creation._destroy_test_db(worker_database_name(template, index), verbosity=0)
        remove_sqlite_journals(worker_database_name(template, index))
    connection.creation.destroy_test_db(verbosity=0)


def worker_database_name(template, index):
    return f"{template}_gw{index}"  # pytest-django's suffix for xdist worker gw<index>


def is_migrated(name):
    """Whether the database `name` exists and has the rows its migrations wrote."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and not Path(name).exists():
        return False
    probe = type(connection)({**connection.settings_dict, "NAME": name}, alias="clone-probe")
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1 FROM wagtailcore_page WHERE depth = 1")
            return cursor.fetchone() is not None
    except DatabaseError:
        return False
    finally:
        probe.close()


def copy_sqlite(source, target):
    """A consistent copy through SQLite's backup API (the template may be in WAL mode)."""
    remove_sqlite_journals(target)
    Path(target).unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def remove_sqlite_journals(name):
    for leftover in (f"{name}-wal", f"{name}-shm", f"{name}-journal"):
        Path(leftover).unlink(missing_ok=True)


# SQLite: the test database as the migrations leave it is kept in var/test-cache/, named by a hash of
# everything that decides what they write (this checkout's migrations, the modules of ours they import,
# its settings, the installed packages and their versions, Python's); the next run copies it (under a
# second) instead of running the 230 migrations again (15 s). Any change to those gives another name, so
# a new migration is run from scratch; a fresh clone has no copy and builds its test database from its
# migrations. PostgreSQL (CI) always migrates.
CACHE_DIR = Path(settings.BASE_DIR) / "var" / "test-cache"
IMPORTED = re.compile(r"^(?:from|import) ((?:website|bulletin|events|newsletter|measure)(?:\.\w+)*)", re.M)


def migrated_copy():
    """Where this checkout's migrated SQLite test database is kept; None on another database."""
    if connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
        return None
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(sys.version.encode())
    for path in migration_sources(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return CACHE_DIR / f"migrated-{digest.hexdigest()[:20]}.sqlite3"


def migration_sources(root):
    """The migrations, the first-party modules they import (data migrations' helpers), the settings."""
    migrations = sorted(root.glob("*/migrations/*.py"))
    modules = sorted({m for path in migrations for m in IMPORTED.findall(path.read_text())})
    imported = []
    for module in modules:
        path = root / module.replace(".", "/")
        imported += (
            [path.with_suffix(".py")] if path.with_suffix(".py").exists() else sorted(path.glob("*.py"))
        )
    return migrations + imported + sorted((root / "website" / "settings").glob("*.py"))


def restore_migrated(name):
    """Copy the kept migrated database to the test database `name`; whether there was one."""
    kept = migrated_copy()
    if kept is None or not kept.exists():
        return False
    copy_sqlite(str(kept), name)
    return True


def drop_sqlite(name):
    """Delete the SQLite test database `name` (a run that restored it does not keep it)."""
    connections.close_all()
    Path(name).unlink(missing_ok=True)
    remove_sqlite_journals(name)


def keep_migrated(name):
    """Keep the freshly migrated test database `name` for the next runs (only the latest copy)."""
    kept = migrated_copy()
    if kept is None or kept.exists():
        return
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for old in CACHE_DIR.glob("migrated-*.sqlite3"):
        old.unlink(missing_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.partial")
    copy_sqlite(name, str(partial))
    partial.replace(kept)


_flushed = {}  # SQLite test database name -> an in-memory copy of it as the first flush left it


def flush_from_copy(flush):
    """A replacement for TransactionTestCase._fixture_teardown (`flush`, Django's) on SQLite: the first
    flush of the process runs as Django's does (DELETE from every table, then the post_migrate signal,
    which writes the content types and the ~600 permissions again one model at a time: about 0.3 s); its
    result is copied, and each later flush puts that copy back with SQLite's backup API (a few ms). The
    next test then starts from the rows a flush leaves, under the same content-type ids; the
    autoincrement counters go back to where the first flush left them, so ids start again from there
    (as after `demo_snapshot`'s put-back). What post_migrate's handlers forget is forgotten here too."""

    def fixture_teardown(testcase):
        connection = connections[DEFAULT_DB_ALIAS]
        if (
            connection.vendor != "sqlite"
            or testcase.available_apps is not None
            or testcase.serialized_rollback
            or set(testcase._databases_names(include_mirrors=False)) != {DEFAULT_DB_ALIAS}
        ):
            return flush(testcase)
        name = connection.settings_dict["NAME"]
        connection.ensure_connection()
        if name not in _flushed:
            flush(testcase)
            _flushed[name] = memory_copy(connection)
            return
        _flushed[name].backup(connection.connection)
        forget_ids()

    return fixture_teardown


def memory_copy(connection):
    """An in-memory copy of the SQLite database behind `connection` (SQLite's backup API), to put back
    later with `copy.backup(connection.connection)`."""
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def forget_ids():
    """What post_migrate's handlers clear when they write the content types again."""
    ContentType.objects.clear_cache()
    get_form_types.cache_clear()
