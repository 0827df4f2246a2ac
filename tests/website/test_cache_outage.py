"""The cache with Redis gone: pages serve and rate limits count in the process (website/cache.py).

Redis here is a port nothing listens on; the full outage, with a private redis-server stopped under a
real server and worker, is in tests/faults/test_redis_down.py.
"""

import time
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Site

from tests.support.smtp import free_port
from website import cache as fail_open
from website import page_cache
from website.models import OrganisationSettings

pytestmark = pytest.mark.django_db

PAGES = ["/", "/babillard/", "/evenements/", "/infolettre/", "/recherche/?q=camion", "/en/"]


@pytest.fixture
def redis_gone(settings):
    fail_open._down_until.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "website.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "KEY_PREFIX": "maillon",
        }
    }
    yield
    fail_open._down_until.clear()


def signup(client, n):
    from newsletter.models import Topic

    topic = Topic.objects.values_list("pk", flat=True).first()
    data = {"email": f"personne{n}@example.org", "language": "fr-ca", "topics": [topic], "consent": "on"}
    return client.post("/infolettre/inscription/", data)


@pytest.mark.parametrize("path", PAGES)
def test_pages_serve_with_the_cache_down(client, demo_db, redis_gone, path):
    assert client.get(path).status_code == 200


def test_pages_serve_whole_with_the_page_cache_on_and_nothing_is_stored_meanwhile(
    client, demo_db, redis_gone, settings
):
    """While Redis is down the page cache steps aside: a page stored in one process's local copy could
    not be dropped by a change made in another process."""
    settings.PAGE_CACHE_SECONDS = 60
    for path in PAGES:
        assert [client.get(path).get("X-Page-Cache") for _ in range(2)] == [None, None], path
        assert client.get(path).status_code == 200


def test_the_cache_falls_back_to_this_process_and_rate_limits_still_count(
    client, demo_db, redis_gone, settings
):
    settings.PUBLIC_FORM_RATE = "3/d"
    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert cache.add("n", 1) and cache.incr("n") == 2
    codes = [signup(client, n).status_code for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]


def test_a_change_made_while_redis_was_down_shows_once_it_is_back(
    demo_db, settings, django_capture_on_commit_callbacks
):
    """A change committed during an outage cannot give the page cache a new version; the pages and site
    chrome stored in Redis before it (the chrome for an hour) must not be served once Redis answers."""
    fail_open._down_until.clear()
    page_cache._outage_seen.clear()
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "website.cache.FailOpenRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-outage-{uuid.uuid4().hex}",
        }
    }
    Client().get("/")
    assert Client().get("/").get("X-Page-Cache") == "hit"
    fail_open._down_until[cache._name] = time.monotonic() + 60  # Redis stops answering this process
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Nouveau nom du réseau"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()
    assert "Nouveau nom du réseau" in Client().get("/").content.decode()
    fail_open._down_until.clear()  # Redis answers again
    try:
        assert "Nouveau nom du réseau" in Client().get("/").content.decode()
    finally:
        cache.clear()
        page_cache._outage_seen.clear()


def test_django_redis_cache_alone_would_answer_500(client, demo_db, settings):
    """What the fail-open backend fixes: the same page on Django's own RedisCache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    client.raise_request_exception = False
    assert client.get("/babillard/").status_code == 500


def test_clearing_the_cache_leaves_the_broker_queue_in_the_same_redis_alone(settings):
    """Django's RedisCache.clear() is FLUSHDB, which would drop the Celery tasks queued beside it."""
    import uuid

    import redis
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "website.cache.FailOpenRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-clear-{uuid.uuid4().hex}",
        }
    }
    queue = f"test-queue-{uuid.uuid4().hex}"  # stands for the "celery" list of queued tasks
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.lpush(queue, "a task")
    try:
        cache = caches["default"]
        cache.set_many({"a": 1, "b": 2})
        assert cache.clear() is True
        assert cache.get_many(["a", "b"]) == {}
        assert client.lrange(queue, 0, -1) == [b"a task"]
    finally:
        client.delete(queue)


def test_the_cache_keeps_one_redis_client_and_it_answers_again_after_an_outage(settings):
    """Django's client built a `redis.Redis` for every call (a copy of ~200 response callbacks each);
    ours keeps one per connection pool, whose connections reconnect by themselves."""
    settings.CACHES = {
        "default": {
            "BACKEND": "website.cache.FailOpenRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "t",
        }
    }
    client = cache._cache.get_client()
    assert client is cache._cache.get_client(write=True) is cache._cache.get_client("a key")
    key = f"client-{uuid.uuid4().hex}"
    cache.set(key, "avant")
    client.connection_pool.disconnect()  # as a Redis restart drops every connection
    assert cache.get(key) == "avant" and cache._cache.get_client() is client
