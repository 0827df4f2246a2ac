import time

import pytest

from website import health


@pytest.mark.django_db
def test_liveness_touches_no_service(client, django_assert_num_queries, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_assert_num_queries(0):
        response = client.get("/healthz/live/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_is_503_without_a_recent_worker_beat(client):
    health.redis_client().delete(health.HEARTBEAT_KEY)
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": True} and body["redis"] == {"ok": True}
    assert body["worker"]["ok"] is False

    health.record_heartbeat(now=time.time() - 3600)  # an old beat: the worker is gone
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["worker"]["last_beat_seconds_ago"] >= 3599


@pytest.mark.django_db
def test_health_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"]["ok"] is False and body["worker"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_beats_and_health_turns_green(client, celery_worker):
    from website.tasks import heartbeat

    health.redis_client().delete(health.HEARTBEAT_KEY)
    heartbeat.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = client.get("/healthz/")
        if response.status_code == 200:
            break
        time.sleep(0.2)
    assert response.status_code == 200, response.json()
    assert response.json()["worker"]["last_beat_seconds_ago"] < 30
