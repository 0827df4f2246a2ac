"""Walks: tests that take the paths a visitor, an English reader and an editor really take."""

import pytest
from django.core.management import call_command
from django.db import connections

from tests.support import demo_snapshot


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, live_server):
    """The demo content committed for a whole module of read-only walks, flushed afterwards
    (as a transactional test leaves the database). Yields the live server's URL."""
    with django_db_blocker.unblock():
        demo_snapshot.load_demo()
        try:
            yield live_server.url
        finally:
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()  # or the test database cannot be dropped at the end of the run
