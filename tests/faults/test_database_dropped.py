"""PostgreSQL drops the app's connections (pg_terminate_backend, as a restart or failover does) under a
running gunicorn with persistent connections: a French 503 page at worst, never a 500, and the app
recovers by itself, without a restart. Only the web server's own connections are terminated (they carry
an application_name), never the test's or another worker's."""

import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.faults.conftest import Browser
from tests.support import worker
from tests.support.services import WebServer

pytestmark = [pytest.mark.django_db(transaction=True)]

APP_NAME = "maillon-fault-web"
PAGES = ["/", "/babillard/", "/evenements/", "/infolettre/", "/recherche/?q=camion", "/en/"]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")


def start_web(threads=2, **env):
    url = f"{worker.test_database_url()}?application_name={APP_NAME}"
    return WebServer({"DATABASE_URL": url, "CONN_MAX_AGE": "600", **env}, threads=threads).start()


def drop_connections():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def web_without_health_checks(demo):
    """Persistent connections not checked before use: the first request on a dropped one fails."""
    web = start_web(CONN_HEALTH_CHECKS="false", threads=1)
    yield web
    web.stop()


@pytest.fixture
def web(demo):
    web = start_web()
    yield web
    web.stop()


def test_a_dropped_connection_gives_a_french_503_then_the_next_request_recovers(web_without_health_checks):
    visitor = Browser(web_without_health_checks.url)
    assert visitor.get("/babillard/").status_code == 200
    assert drop_connections() == 1
    response = visitor.get("/babillard/")
    assert response.status_code == 503, response.text[:2000]
    assert response.headers["Retry-After"] == "30"
    assert '<html lang="fr-ca">' in response.text
    assert "Service momentanément indisponible" in response.text
    assert visitor.get("/babillard/").status_code == 200  # no restart

    assert drop_connections() == 1
    english = visitor.get("/en/babillard/")
    assert english.status_code == 503 and '<html lang="en">' in english.text
    assert "Service temporarily unavailable" in english.text
    assert visitor.get("/en/babillard/").status_code == 200


def test_with_health_checks_dropped_connections_are_replaced_before_use(web):
    visitor = Browser(web.url)
    for path in PAGES:
        assert visitor.get(path).status_code == 200
    assert drop_connections() >= 1
    for path in PAGES:
        assert visitor.get(path).status_code == 200


def test_connections_dropped_again_and_again_mid_traffic_never_give_a_500(web):
    codes = Counter()
    stop = threading.Event()

    def traffic():
        visitor = Browser(web.url)
        while not stop.is_set():
            for path in PAGES:
                codes[visitor.get(path).status_code] += 1

    visitors = [threading.Thread(target=traffic) for _ in range(3)]
    for visitor in visitors:
        visitor.start()
    dropped = 0
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        dropped += drop_connections()
        time.sleep(0.5)
    stop.set()
    for visitor in visitors:
        visitor.join(60)
    assert dropped >= 5 and sum(codes.values()) >= 30, (dropped, codes)
    if 500 in codes:
        Path("/tmp/resilience/web.log").write_text("".join(web.log))
    assert set(codes) <= {200, 503}, codes
    after = Browser(web.url)
    assert [after.get(path).status_code for path in PAGES] == [200] * len(PAGES)
    print(f"{dropped} connections dropped under {sum(codes.values())} requests: {dict(codes)}")
