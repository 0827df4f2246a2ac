import os

import pytest
from django.core.management import call_command

from website.i18n import in_default_locale


@pytest.fixture
def demo_db(db):
    """The demo content inside the test's transaction (rolled back afterwards)."""
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


@pytest.fixture
def home(demo_db):
    from website.models import HomePage

    return in_default_locale(HomePage.objects).get()
