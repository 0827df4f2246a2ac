"""Support requests travel through the real pipeline: web -> Redis -> Celery worker -> SMTP."""

import pytest

from website.models import SupportRequestSubmission

from .test_support_request import URL, valid_data


@pytest.mark.worker
def test_request_reaches_the_editors_through_a_real_worker(client, demo, celery_worker, smtp_server):
    smtp_server.clear()
    response = client.post(URL, valid_data(decrivez_votre_projet="Partager un camion réfrigéré."))
    assert response.status_code == 302
    ((recipients, message),) = smtp_server.wait_for(1)
    assert recipients == ["accompagnement@example.org"]
    assert message["Reply-To"] == "julie@example.org"
    assert "Partager un camion réfrigéré." in message.get_content()
    submission = SupportRequestSubmission.objects.get()
    for _ in range(50):  # the worker commits just after the server accepts
        submission.refresh_from_db()
        if submission.notified_at:
            break
        import time

        time.sleep(0.1)
    assert submission.notified_at is not None
