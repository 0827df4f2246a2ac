"""The demo content for tests that commit (live server, worker, browser): seeded by `seed_demo` once per
test process, then put back from a copy taken right after, in well under a second instead of the 10–15 s
a seeding takes (it saves ~70 pages through Wagtail, their revisions, search and reference indexes).

The demo is seeded over the test database as the session set it up (its migrated rows: Wagtail's root
page, site, locale, workflow), as `make run` does. A transactional test's teardown flushes the database;
`load_demo()` in the next one empties every table and copies the demo's rows back, so each test starts
from exactly what `seed_demo` left (same ids, same search index). On SQLite the `db` tests of a
`demo_db` module get the same copy, and the database as the module found it afterwards.

PostgreSQL: the copy is a schema of its own in the test database, put back with `INSERT … SELECT` in one
transaction, then the sequences are set past the copied ids. SQLite: the copy is the whole database file,
taken and put back with SQLite's backup API.

Only files the database points to live elsewhere (the demo's images in the test media folder), and those
stay for the whole session. What a process remembers by id (content types, Wagtail's site root paths,
the caches) is forgotten after each put-back."""

import os
from contextlib import contextmanager

from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from wagtail.models import Site

from tests.support import database

SCHEMA = "demo_snapshot"
# What a flushed test database still holds: the migrations, and what post_migrate writes again.
FLUSHED = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}
_taken = {}  # database name -> True (PostgreSQL) or an in-memory SQLite copy of the demo
_base = {}  # database name -> its row counts as the session set it up (tables outside FLUSHED)


def remember_base():
    """Called once the session's test database is set up (migrated, or reused): the rows it holds are
    the base the demo is seeded over, like a flushed database's (none)."""
    _base[connection.settings_dict["NAME"]] = _row_counts()


def load_demo():
    """The demo content, committed: seeded the first time in this process, put back afterwards, on a
    database at its base (as the session set it up, or as a flush leaves it): every test gets the same
    demo, the one `seed_demo` made over the migrated database. On a database that holds rows of its own
    (a fixture made a topic or a user first), the demo is seeded over them as `seed_demo` does, and
    nothing is put back or taken."""
    name = connection.settings_dict["NAME"]
    counts = _row_counts()
    if counts and counts != _base.get(name):
        _seed()
    elif name not in _taken:
        _seed()
        _taken[name] = _take()
    else:
        _put_back(_taken[name])
        _forget_ids()


@contextmanager
def demo_for_module():
    """SQLite: the demo content, committed, for the `db` tests of one module (each still rolled back),
    then the database as the module found it, put back from a copy taken first (a few ms each way,
    against 1–2 s to seed)."""
    found = database.memory_copy(connection)
    try:
        load_demo()
        yield
    finally:
        found.backup(connection.connection)
        found.close()
        _forget_ids()


def _seed():
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def _row_counts():
    """Each table's row count, tables of a flushed database and empty ones left out (one query)."""
    qn = connection.ops.quote_name
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - FLUSHED)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {qn(t)}" for t in tables))
        return {table: count for table, count in cursor.fetchall() if count}


def _tables(cursor):
    return [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]


def _take():
    if connection.vendor == "sqlite":
        return database.memory_copy(connection)
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in _tables(cursor):
            cursor.execute(f"CREATE TABLE {SCHEMA}.{qn(table)} AS TABLE public.{qn(table)}")
    return True


def _put_back(copy):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy.backup(connection.connection)
        return
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        tables = _tables(cursor)
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
        ]
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("TRUNCATE " + ", ".join(f"public.{qn(t)}" for t in tables))
        for table in tables:
            cursor.execute(f"INSERT INTO public.{qn(table)} SELECT * FROM {SCHEMA}.{qn(table)}")
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _forget_ids():
    database.forget_ids()
    Site.clear_site_root_paths_cache()
    for cache in caches.all():
        cache.clear()
