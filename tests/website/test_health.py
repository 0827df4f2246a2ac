import time

import pytest

from website import health
from website.redis import redis_client

TOKEN = "jeton-de-sonde-" + "x" * 20


@pytest.fixture(autouse=True)
def health_token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


def details(client, **kwargs):
    return client.get("/healthz/", HTTP_X_HEALTHZ_TOKEN=TOKEN, **kwargs)


@pytest.mark.django_db
def test_liveness_touches_no_service(client, django_assert_num_queries, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_assert_num_queries(0):
        response = client.get("/healthz/live/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_is_503_without_a_recent_worker_beat(client):
    redis_client().delete(health.HEARTBEAT_KEY)
    response = details(client)
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": True} and body["redis"] == {"ok": True}
    assert body["worker"]["ok"] is False

    health.record_heartbeat(now=time.time() - 3600)  # an old beat: the worker is gone
    response = details(client)
    assert response.status_code == 503 and response.json()["worker"]["last_beat_seconds_ago"] >= 3599


@pytest.mark.django_db
def test_health_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = details(client)
    assert response.status_code == 503
    body = response.json()
    assert body["redis"]["ok"] is False and body["worker"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_beats_and_health_turns_green(client, celery_worker):
    from website.tasks import heartbeat

    redis_client().delete(health.HEARTBEAT_KEY)
    heartbeat.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = details(client)
        if response.status_code == 200:
            break
        time.sleep(0.2)
    assert response.status_code == 200, response.json()
    assert response.json()["worker"]["last_beat_seconds_ago"] < 30


@pytest.mark.django_db
def test_anonymous_probe_gets_only_the_status_not_which_dependency_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


@pytest.mark.django_db
def test_anonymous_probe_gets_ok_when_all_is_well(client):
    health.record_heartbeat()
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "mauvais-jeton", TOKEN[:-1], TOKEN + "x"])
def test_a_wrong_or_missing_token_shows_no_details(client, settings, given):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get("/healthz/", HTTP_X_HEALTHZ_TOKEN=given).json() == {"status": "error"}
    assert client.get("/healthz/", {"token": given}).json() == {"status": "error"}


@pytest.mark.django_db
def test_no_token_configured_means_no_token_opens_the_details(client, settings):
    settings.HEALTHZ_TOKEN = ""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get("/healthz/", HTTP_X_HEALTHZ_TOKEN="").json() == {"status": "error"}
    assert client.get("/healthz/", {"token": ""}).json() == {"status": "error"}


@pytest.mark.django_db
def test_the_token_as_header_or_query_shows_the_details(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    for response in (details(client), client.get("/healthz/", {"token": TOKEN})):
        body = response.json()
        assert response.status_code == 503
        assert body["status"] == "error" and body["redis"]["ok"] is False and body["database"] == {"ok": True}


@pytest.mark.django_db
def test_staff_see_the_details_and_other_users_do_not(client, settings, django_user_model):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    visitor = django_user_model.objects.create_user("visiteur", password="x")
    client.force_login(visitor)
    assert client.get("/healthz/").json() == {"status": "error"}
    staff = django_user_model.objects.create_user("equipe", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/healthz/").json()["redis"]["ok"] is False
