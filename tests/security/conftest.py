import os

import pytest
from django.core.management import call_command

# The events app's helpers, so that these tests build events the way its own tests do.
from tests.events.conftest import event_index, make_event, register  # noqa: F401


@pytest.fixture
def demo_db(db):
    """The demo content (pages, groups, the demo editor) inside the test's transaction."""
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client
