import pytest

from newsletter.models import Subscriber, Topic
from website.i18n import in_default_locale


@pytest.fixture
def topics(db):
    general, _ = Topic.objects.get_or_create(
        slug="generale", defaults={"name": "Infolettre générale", "name_en": "General"}
    )
    trainings, _ = Topic.objects.get_or_create(
        slug="formations", defaults={"name": "Formations", "name_en": "Trainings"}
    )
    return general, trainings


@pytest.fixture
def make_subscriber(topics):
    def make(email, state=Subscriber.State.CONFIRMED, topic=None, **fields):
        subscriber = Subscriber.objects.create(email=email, state=state, **fields)
        subscriber.topics.set([topic or topics[0]])
        return subscriber

    return make


@pytest.fixture(autouse=True)
def _fresh_render_cache():
    from newsletter import sending

    sending.rendered_for_send.cache_clear()


@pytest.fixture
def make_event_for_newsletter(db, topics):
    import datetime
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from events.models import EventIndexPage, EventKind, EventPage

    call_command("seed_demo", stdout=StringIO())
    start = timezone.now() + datetime.timedelta(days=5)
    event = EventPage(
        title="Atelier",
        slug="atelier-infolettre",
        kind=EventKind.objects.first(),
        start=start,
        end=start + datetime.timedelta(hours=2),
        capacity=10,
        venue="Salle",
    )
    in_default_locale(EventIndexPage.objects).get().add_child(instance=event)
    event.save_revision().publish()
    return event
