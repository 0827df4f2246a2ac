import pytest

from newsletter.models import Subscriber, Topic


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
    def make(email, status=Subscriber.Status.CONFIRMED, topic=None, **fields):
        subscriber = Subscriber.objects.create(email=email, status=status, **fields)
        subscriber.topics.set([topic or topics[0]])
        return subscriber

    return make


@pytest.fixture(autouse=True)
def _fresh_render_cache():
    from newsletter import rendering

    rendering._render_for_send.cache_clear()
