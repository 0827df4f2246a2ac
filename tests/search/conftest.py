import os

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_db(db):
    """The demo content inside the test's transaction (rolled back afterwards)."""
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
