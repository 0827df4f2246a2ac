"""Provider webhooks (django-anymail): refused until a secret is configured, then basic auth checked;
production refuses to start with a provider backend and no secret."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from newsletter.models import Subscriber

ROOT = Path(__file__).resolve().parents[2]
SECRET = "maillon:" + "s" * 24


def spam_report(email):
    return json.dumps([{"email": email, "event": "spamreport", "timestamp": 1796040000, "sg_event_id": "e1"}])


def basic(credentials):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


@pytest.fixture
def annie(make_subscriber):
    return make_subscriber("annie@example.org")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,payload",
    [
        ("/anymail/sendgrid/tracking/", spam_report("annie@example.org")),
        (
            "/anymail/postmark/tracking/",
            json.dumps({"RecordType": "SpamComplaint", "Email": "annie@example.org"}),
        ),
        ("/anymail/mailgun/tracking/", "{}"),
    ],
    ids=["sendgrid", "postmark", "mailgun"],
)
def test_webhooks_are_not_routed_while_no_secret_is_configured(client, annie, settings, path, payload):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    response = client.post(path, payload, content_type="application/json")
    assert response.status_code == 404
    annie.refresh_from_db()
    assert annie.state == Subscriber.State.CONFIRMED and not annie.ledger.exists()


@pytest.mark.django_db
def test_with_a_secret_only_the_right_basic_auth_is_heard(client, annie, make_subscriber, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    url = "/anymail/sendgrid/tracking/"
    for headers in ({}, basic("maillon:wrong-password-here!!"), basic("intrus:" + "s" * 24)):
        response = client.post(
            url, spam_report("annie@example.org"), content_type="application/json", **headers
        )
        assert response.status_code == 400  # anymail's AnymailWebhookValidationFailure
    annie.refresh_from_db()
    assert annie.state == Subscriber.State.CONFIRMED and not annie.ledger.exists()

    response = client.post(
        url, spam_report("annie@example.org"), content_type="application/json", **basic(SECRET)
    )
    assert response.status_code == 200
    annie.refresh_from_db()
    assert annie.state == Subscriber.State.UNSUBSCRIBED
    assert [(r.action, r.method) for r in annie.ledger.all()] == [("complained", "provider")]


@pytest.mark.django_db
def test_postmark_bounces_and_complaints_are_recorded_with_the_secret(client, make_subscriber, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    bruno = make_subscriber("bruno@example.org")
    complaint = {
        "RecordType": "SpamComplaint",
        "Email": "bruno@example.org",
        "MessageID": "m-1",
        "BouncedAt": "2026-11-26T10:00:00Z",
        "Type": "SpamComplaint",
        "TypeCode": 512,
    }
    response = client.post(
        "/anymail/postmark/tracking/", json.dumps(complaint), content_type="application/json", **basic(SECRET)
    )
    assert response.status_code == 200
    bruno.refresh_from_db()
    assert bruno.state == "unsubscribed" and bruno.ledger.last().action == "complained"


def manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "ANYMAIL_WEBHOOK_SECRET")
    }
    full_env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        ALLOWED_HOSTS="maillon.example",
        SECRET_KEY=secrets.token_urlsafe(60),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


PROVIDER = {"EMAIL_BACKEND": "anymail.backends.sendgrid.EmailBackend", "SENDGRID_API_KEY": "SG.x"}


@pytest.mark.parametrize("secret", ["", "maillon", "maillon:court"])
def test_production_refuses_to_start_with_a_provider_and_no_webhook_secret(secret):
    result = manage("check", **PROVIDER, ANYMAIL_WEBHOOK_SECRET=secret)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "ANYMAIL_WEBHOOK_SECRET" in result.stderr


def test_production_starts_with_a_provider_and_a_webhook_secret_or_with_smtp():
    result = manage("check", **PROVIDER, ANYMAIL_WEBHOOK_SECRET=SECRET)
    assert result.returncode == 0, result.stderr
    result = manage("check", EMAIL_URL="smtp://mail.example:587/?tls=True")
    assert result.returncode == 0, result.stderr
