"""The test database between sessions (pytest --reuse-db)."""

from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


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
