"""Support requests travel through the real pipeline: web -> Redis -> Celery worker -> SMTP."""

import time

import pytest

from website.models import OutgoingEmail

from .test_support_request import URL, valid_data


@pytest.mark.worker
def test_request_reaches_the_editors_through_a_real_worker(client, demo, celery_worker, smtp):
    smtp_server = smtp
    response = client.post(URL, valid_data(decrivez_votre_projet="Partager un camion réfrigéré."))
    assert response.status_code == 302
    ((recipients, message),) = smtp_server.wait_for(1)
    assert recipients == ["accompagnement@example.org"]
    assert message["Reply-To"] == "julie@example.org"
    assert "Partager un camion réfrigéré." in message.get_content()
    email = OutgoingEmail.objects.get()
    for _ in range(50):  # the worker commits just after the server accepts
        email.refresh_from_db()
        if email.state == OutgoingEmail.State.SENT:
            break
        time.sleep(0.1)
    assert email.state == OutgoingEmail.State.SENT and email.attempts == 1
