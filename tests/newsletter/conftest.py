import pytest

from events.models import EventKind
from newsletter.models import Subscriber
from tests import factories


@pytest.fixture
def topics(db):
    general = factories.TopicFactory(slug="generale", name="Infolettre générale", name_en="General")
    trainings = factories.TopicFactory(slug="formations", name="Formations", name_en="Trainings")
    return general, trainings


@pytest.fixture
def make_subscriber(topics):
    def make(email, state=Subscriber.State.CONFIRMED, topic=None, **fields):
        fields.setdefault("confirmed_at", None)
        return factories.SubscriberFactory(email=email, state=state, topics=[topic or topics[0]], **fields)

    return make


@pytest.fixture(autouse=True)
def _fresh_render_cache():
    from newsletter import sending

    sending.rendered_for_send.cache_clear()
    sending.template_for_send.cache_clear()


@pytest.fixture
def make_event_for_newsletter(db, topics):
    return factories.EventMaker()(
        title="Atelier",
        slug="atelier-infolettre",
        kind=EventKind.objects.first(),
        in_days=5,
        hours=2,
        capacity=10,
        max_seats=4,  # the model's default
        venue="Salle",
    )


@pytest.fixture
def issue(demo_db):
    """The demo's issue, which pulls in the demo's board posts and events; the demo is seeded once per
    module (tests/conftest.py, `demo_db`)."""
    from newsletter.models import NewsletterIssuePage
    from website.i18n import in_default_locale

    return in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")
