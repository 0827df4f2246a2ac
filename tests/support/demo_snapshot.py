"""The demo content for tests that commit (live server, worker, browser): seeded by `seed_demo` once per
test process, then put back from a copy taken right after, in well under a second instead of the 10–15 s
a seeding takes (it saves ~70 pages through Wagtail, their revisions, search and reference indexes).

A transactional test's teardown flushes the database; `load_demo()` in the next one empties every table
and copies the demo's rows back, so each test starts from exactly what `seed_demo` left (same ids, same
search index). PostgreSQL: the copy is a schema of its own in the test database, put back with
`INSERT … SELECT` in one transaction, then the sequences are set past the copied ids. SQLite: the copy is
the whole database file, taken and put back with SQLite's backup API.

Only files the database points to live elsewhere (the demo's images in the test media folder), and those
stay for the whole session. What a process remembers by id (content types, Wagtail's site root paths,
the caches) is forgotten after each put-back."""

import os
import sqlite3
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
_taken = {}  # database name -> True (PostgreSQL) or an in-memory SQLite copy
_for_modules = {}  # SQLite database name -> an in-memory copy of the demo as `demo_for_module` seeded it


def load_demo():
    """The demo content, committed: seeded the first time in this process, put back afterwards. On a
    database that already holds rows of its own (a fixture made a topic or a user first), the demo is
    seeded over them as `seed_demo` does, and nothing is put back or taken."""
    name = connection.settings_dict["NAME"]
    if _holds_rows():
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
    then the database as the module found it. The first time in the process, `seed_demo` runs over what
    the database holds (its migrated rows, or a flushed test's) and the result is copied; later modules
    get that copy back (a few ms against 2–5 s of seeding), so every module starts from the same demo."""
    connection.ensure_connection()
    found = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(found)
    name = connection.settings_dict["NAME"]
    try:
        if name in _for_modules:
            _for_modules[name].backup(connection.connection)
            _forget_ids()
        else:
            _seed()
            _for_modules[name] = _take()
        yield
    finally:
        found.backup(connection.connection)
        found.close()
        _forget_ids()


def _seed():
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def _holds_rows():
    """Whether any table but those of a flushed database has a row (one query)."""
    qn = connection.ops.quote_name
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - FLUSHED)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT 1 WHERE EXISTS (SELECT 1 FROM {qn(t)})" for t in tables))
        return cursor.fetchone() is not None


def _tables(cursor):
    return [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]


def _take():
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy
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
