"""No database at all (PostgreSQL stopped, or unreachable): the health check still answers its probes in
JSON, whoever asks, and says the database is down to those who may see the details. The app runs under
gunicorn pointed at a port where nothing listens, so no shared service is touched."""

import pytest
import requests

from tests.support.services import WebServer
from tests.support.smtp import free_port

TOKEN = "jeton-de-sonde-assez-long"
# A well-formed session key: Django looks it up in the database (a malformed one it ignores).
SESSION = {"sessionid": "k" * 32}


@pytest.fixture(scope="module")
def web_without_database():
    web = WebServer(
        {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/maillon", "HEALTHZ_TOKEN": TOKEN}
    ).start()
    yield web
    web.stop()


def health(web, **kwargs):
    return requests.get(web.url + "/healthz/", timeout=30, **kwargs)


@pytest.mark.parametrize(
    "request_kwargs",
    [{}, {"cookies": SESSION}, {"headers": {"Accept-Language": "en"}, "cookies": SESSION}],
    ids=["probe", "with-a-session", "english-with-a-session"],
)
def test_health_answers_json_503_while_the_database_is_down(web_without_database, request_kwargs):
    response = health(web_without_database, **request_kwargs)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "error"}


def test_the_token_shows_the_database_is_what_is_down(web_without_database):
    for kwargs in ({"headers": {"X-Healthz-Token": TOKEN}}, {"params": {"token": TOKEN}, "cookies": SESSION}):
        response = health(web_without_database, **kwargs)
        assert response.status_code == 503 and response.headers["Content-Type"] == "application/json"
        assert response.json()["status"] == "error"
        assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_liveness_needs_no_database(web_without_database):
    response = requests.get(web_without_database.url + "/healthz/live/", timeout=30)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
