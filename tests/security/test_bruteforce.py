"""Brute force on the admin: login lockout by username and address, password-reset emails throttled by
address and by client, both working behind a proxy and with Redis down."""

import datetime
import os
import time
import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from website.permissions import CONTENT

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"
PASSWORD = "bon-mot-de-passe-2026"
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "redactrice", email="redactrice@example.org", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=CONTENT))
    return user


def attempt(client, password, username="redactrice", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client):
    return client.get("/admin/").status_code == 200


def test_thirty_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 5
    statuses = [attempt(client, f"essai-{n}").status_code for n in range(30)]
    assert statuses[:4] == [200] * 4  # the form again, "wrong password"
    assert set(statuses[5:]) == {429}
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives de connexion" in html and "15 minutes" in html
    assert 'name="username"' in html  # still the login page, in the admin's layout
    assert not logged_in(client)


def test_the_lockout_message_is_in_english_for_english_readers(rf):
    """The admin's login page is French until one signs in (it is outside /en/); the message is
    translated for the English admin all the same."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import translation

    from website.bruteforce import locked_out

    request = rf.post(LOGIN, {"username": "redactrice", "password": "x"})
    request.session, request.user = SessionStore(), AnonymousUser()
    request._messages = FallbackStorage(request)
    with translation.override("en"):
        response = locked_out(request)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many login attempts" in html and "for 15 minutes" in html


def test_the_lock_holds_one_username_from_one_address_only(client, editor, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    other = django_user_model.objects.create_user("autre", password=PASSWORD)
    other.groups.add(Group.objects.get(name=CONTENT))
    for n in range(4):
        attempt(client, f"essai-{n}", REMOTE_ADDR="203.0.113.7")
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429

    # The same person from another address, and another account from this address, still log in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert attempt(elsewhere, PASSWORD).status_code == 302 and logged_in(elsewhere)
    colleague = Client(REMOTE_ADDR="203.0.113.7")
    assert attempt(colleague, PASSWORD, username="autre").status_code == 302 and logged_in(colleague)


def test_the_lock_ends_after_the_cool_off(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=2)
    for n in range(3):
        attempt(client, f"essai-{n}")
    assert attempt(client, PASSWORD).status_code == 429
    time.sleep(2.5)
    assert attempt(client, PASSWORD).status_code == 302 and logged_in(client)


def test_a_successful_login_starts_the_count_again(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(2):
        attempt(client, f"essai-{n}")
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/admin/logout/")
    for n in range(2):
        attempt(client, f"encore-{n}")
    assert attempt(client, PASSWORD).status_code == 302


def test_behind_a_proxy_each_client_address_counts_for_itself(editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.66")
    for n in range(4):
        attempt(attacker, f"essai-{n}")
    assert attempt(attacker, PASSWORD).status_code == 429
    # Same proxy (REMOTE_ADDR), another visitor: not locked out by the attacker.
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.20")
    assert attempt(owner, PASSWORD).status_code == 302 and logged_in(owner)


def test_without_the_proxy_setting_everyone_behind_the_proxy_shares_one_count(editor, settings):
    """The reverse of the test above: it shows the setting is what separates them."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.RATELIMIT_IP_META_KEY = None
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.66")
    for n in range(4):
        attempt(attacker, f"essai-{n}")
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.20")
    assert attempt(owner, PASSWORD).status_code == 429


def test_login_lockout_holds_with_redis_down(client, editor, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.AXES_FAILURE_LIMIT = 3
    assert client.get(LOGIN).status_code == 200
    for n in range(4):
        attempt(client, f"essai-{n}")
    assert attempt(client, PASSWORD).status_code == 429


# --- Password reset -----------------------------------------------------------------------------


@pytest.fixture
def real_redis_cache(settings):
    """The rate-limit counters in a real Redis, as in production (a fresh prefix per test)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"test-bruteforce-{uuid.uuid4().hex}",
        }
    }


def reset(client, email):
    return client.post(RESET, {"email": email})


def test_ten_reset_requests_for_one_address_send_three_emails(
    client, editor, smtp, real_redis_cache, settings
):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    settings.PASSWORD_RESET_RATE_PER_IP = "100/h"
    responses = [reset(Client(REMOTE_ADDR=f"198.51.100.{n}"), "Redactrice@example.org") for n in range(10)]
    # Every request gets the same answer, limited or not: nobody learns anything about the address.
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, "/admin/password_reset/done/")}
    # Django sends reset emails during the request: all that will ever arrive is there.
    assert [to for to, _ in smtp.messages] == [["redactrice@example.org"]] * 3


def test_reset_requests_from_one_client_are_limited_across_addresses(
    client, django_user_model, smtp, real_redis_cache, settings
):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "100/h"
    settings.PASSWORD_RESET_RATE_PER_IP = "4/h"
    for n in range(8):
        django_user_model.objects.create_user(f"personne{n}", email=f"personne{n}@example.org", password="x")
    for n in range(7):
        assert reset(client, f"personne{n}@example.org").status_code == 302
    assert [to for to, _ in smtp.messages] == [[f"personne{n}@example.org"] for n in range(4)]
    # Another client is not held back by this one.
    assert reset(Client(REMOTE_ADDR="198.51.100.77"), "personne7@example.org").status_code == 302
    assert len(smtp.messages) == 5


def test_password_reset_still_answers_and_sends_with_redis_down(client, editor, smtp, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = reset(client, "redactrice@example.org")
    assert response.status_code == 302
    assert len(smtp.messages) == 1


# --- The client address behind a proxy ----------------------------------------------------------


@pytest.mark.parametrize(
    "forwarded", ["198.51.100.1, 203.0.113.9", "pas-une-adresse", "198.51.100.1,,  2001:db8::1", ""]
)
def test_public_forms_take_any_forwarded_header_without_an_error(client, settings, forwarded):
    """django-ratelimit feeds the header to ipaddress: a list (X-Forwarded-For) or junk gave a 500."""
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    response = client.post(
        "/infolettre/inscription/", {"email": "pas valide"}, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert response.status_code == 400  # the form with its errors


def test_behind_a_proxy_public_forms_count_the_address_the_proxy_saw(client, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    settings.PUBLIC_FORM_RATE = "2/d"

    def post(forwarded):
        return client.post(
            "/infolettre/inscription/", {"email": "x"}, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # The client may put anything first; the proxy appends the address it saw, which is what counts.
    assert [post(f"10.9.9.{n}, 203.0.113.9") for n in range(3)] == [400, 400, 429]
    assert post("203.0.113.9, 198.51.100.4") == 400
