"""What the migrations put in the test database (Wagtail's root page and default site, the locales, the
collection root, the named groups and their rights), there at the start of every run.

A fresh test database has it until the first transactional test flushes the tables. With `--reuse-db`
the database kept from the last run was flushed by that run's last transactional test, so the tests
that run first (pytest-django runs the `db` tests before the transactional ones) would see no root
page, where a fresh run gives them one: `test_wagtail_admin_speaks_french` failed that way. The data is
copied to a file next to the database at the start of a run that finds it as the migrations left it, and
loaded back at the start of a run that finds it emptied (the copy is of that same database: same ids).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page


def copy_path():
    return Path(settings.VAR_DIR) / f"{Path(str(connection.settings_dict['NAME'])).name}.initial.json"


def ensure():
    """Keep a copy of the database while it holds only what the migrations made (Wagtail's root and
    welcome pages); give it back to a kept database that a flush emptied."""
    path = copy_path()
    pages = Page.objects.count()
    if 0 < pages <= 2:
        path.write_text(connection.creation.serialize_db_to_string())
    elif pages == 0 and path.exists():
        # As Django's serialized rollback does: flush without post_migrate, so that the content types
        # and permissions come back with the ids the copy refers to.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(path.read_text())
        # This process read the content types the flush and `migrate` re-created, with other ids.
        ContentType.objects.clear_cache()
