import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation

from events import services
from events.models import EventIndexPage, EventKind, EventPage
from website.i18n import in_default_locale
from website.models import HomePage


@pytest.fixture(autouse=True)
def _french_to_start_with():
    """Each test starts in the default language: a request to `/en/…` in an earlier test leaves English
    active in this thread, and registrations made outside a request take the active language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def event_index(db):
    from io import StringIO

    from django.core.management import call_command

    if not EventIndexPage.objects.exists():
        call_command("seed_demo", stdout=StringIO())
    return in_default_locale(EventIndexPage.objects).get()


@pytest.fixture
def make_event(event_index):
    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        start = timezone.now() + datetime.timedelta(days=fields.pop("in_days", 10))
        fields.setdefault("title", f"Événement {counter['n']}")
        fields.setdefault("slug", f"evenement-test-{counter['n']}")
        fields.setdefault("kind", EventKind.objects.get(slug="formation"))
        fields.setdefault("start", start)
        fields.setdefault("end", start + datetime.timedelta(hours=3))
        fields.setdefault("capacity", 10)
        fields.setdefault("max_seats", 10)  # the tests of the per-registration maximum set their own
        fields.setdefault("venue", "Salle A")
        event = EventPage(**fields)
        event_index.add_child(instance=event)
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return make


@pytest.fixture
def register():
    counter = {"n": 0}

    def make(event, seats=1, organisation=None, **fields):
        counter["n"] += 1
        fields.setdefault("contact_name", f"Personne {counter['n']}")
        fields.setdefault("email", f"p{counter['n']}@example.org")
        return services.register(
            event, seats=seats, organisation=organisation or f"Organisme {counter['n']}", **fields
        )

    return make


__all__ = ["HomePage"]
