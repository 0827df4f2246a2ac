import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import CategoryFactory, PostFactory, RegionFactory


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French: a request to /en/ earlier in the thread leaves English active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_post(db):
    return PostFactory


@pytest.fixture
def mirabel(db):
    return RegionFactory(slug="mirabel", name="Mirabel")


@pytest.fixture
def argenteuil(db):
    return RegionFactory(slug="argenteuil", name="Argenteuil")


@pytest.fixture
def transport(db):
    return CategoryFactory(slug="transport", name="Transport")


@pytest.fixture
def premises(db):
    return CategoryFactory(slug="locaux", name="Locaux")


@pytest.fixture
def queued(db):
    """The emails queued so far, as (to, subject, body, reply_to)."""
    from website.models import OutgoingEmail

    def emails(tag=None):
        rows = OutgoingEmail.objects.order_by("pk")
        if tag:
            rows = rows.filter(tag=tag)
        return list(rows)

    return emails
