import os

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """The demo content, seeded once per module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with open(os.devnull, "w") as devnull:
            call_command("seed_demo", stdout=devnull)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(_demo_for_module, db):
    """The demo content; what a test changes is rolled back (each test runs in a savepoint)."""
