import os

import pytest
from django.core.management import call_command
from django.db import transaction

# The events app's helpers, so that these tests build events the way its own tests do.
from tests.events.conftest import event_index, make_event, register  # noqa: F401


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """The demo content, seeded once per module inside a transaction rolled back at its end: each test
    runs in a savepoint inside it (the permission matrix has a hundred cases)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with open(os.devnull, "w") as devnull:
            call_command("seed_demo", stdout=devnull)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(_demo_for_module, db):
    """The demo content (pages, groups, the demo editor); what a test changes is rolled back."""


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client
