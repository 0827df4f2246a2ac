import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _french_to_start_with():
    """Each test starts in the default language: a request to `/en/…` in an earlier test leaves English
    active in this thread, and registrations made outside a request take the active language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
