"""Event emails through the real pipeline: Redis, a Celery worker, a loopback SMTP server."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from events import tasks

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_confirmation_with_ics_then_reminder_through_a_real_worker(make_event, register, celery_worker, smtp):
    event = make_event(in_days=1, online_url="https://visio.example.org/r", reminder_days=2)
    registration = register(event, seats=2, email="rappel@example.org")

    _, confirmation = smtp.wait_for_message(lambda to, m: to == ["rappel@example.org"])
    assert confirmation["Subject"].strip().startswith("Inscription confirmée")
    (ics,) = [part for part in confirmation.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(ics.get_content())
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"{event.uid}@maillon"

    tasks.send_reminders.delay()
    _, reminder = smtp.wait_for_message(
        lambda to, m: to == ["rappel@example.org"] and "Rappel" in m["Subject"]
    )
    assert "https://visio.example.org/r" in reminder.get_content()
    registration.refresh_from_db()
    assert registration.reminder_sent_at is not None


def test_threshold_decision_through_a_real_worker(make_event, register, celery_worker, smtp):
    event = make_event(capacity=10, threshold=2, decision_date=timezone.localdate())
    register(event, organisation="Seul organisme", email="seul@example.org")
    tasks.decide_thresholds.delay()
    _, message = smtp.wait_for_message(lambda to, m: to == ["seul@example.org"] and "annulé" in m["Subject"])
    assert "nombre minimal" in message.get_content()
    event.refresh_from_db()
    assert event.state == "cancelled"
    assert event.start > timezone.now() - datetime.timedelta(days=1)
