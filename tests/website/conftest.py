import pytest

from website.i18n import in_default_locale


@pytest.fixture
def home(demo_db):
    """The demo's home page (the demo is seeded once per module: tests/conftest.py, `demo_db`)."""
    from website.models import HomePage

    return in_default_locale(HomePage.objects).get()
