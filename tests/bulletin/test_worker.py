"""The babillard's scheduled work and emails through the real pipeline: Redis, a Celery worker, SMTP."""

import datetime
import time

import pytest
from django.utils import timezone

from bulletin import services, tasks
from bulletin.models import AlertSubscription, Post

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until(check, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def by_recipient(messages):
    return {recipients[0]: message for recipients, message in messages}


def test_expiry_and_reminders_run_in_a_real_worker(make_post, celery_worker, smtp):
    today = timezone.localdate()
    overdue = make_post(expires_on=today - datetime.timedelta(days=1))
    soon = make_post(expires_on=today + datetime.timedelta(days=5))
    later = make_post(expires_on=today + datetime.timedelta(days=20))

    tasks.expire_posts.delay()
    tasks.send_expiry_reminders.delay()

    wait_until(lambda: Post.objects.get(pk=overdue.pk).state == Post.State.EXPIRED)
    ((recipients, message),) = smtp.wait_for(1)
    assert recipients == [soon.contact_email]
    assert message["Subject"] == "Votre annonce expire bientôt"
    assert "http://testserver/babillard/gerer/" in message.get_content()
    assert Post.objects.get(pk=later.pk).state == Post.State.PUBLISHED
    tasks.send_expiry_reminders.delay()  # a second run sends nothing more
    time.sleep(1.5)
    assert len(smtp.messages) == 1


def test_matching_and_alert_emails_reach_the_smtp_server(make_post, mirabel, celery_worker, smtp):
    request = make_post(kind=Post.Kind.REQUEST, title="Cherche camion", regions=[mirabel])
    subscription = AlertSubscription.objects.create(
        email="veille@example.org",
        kind=Post.Kind.OFFER,
        region=mirabel,
        consent_text="oui",
        confirmed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    offer = make_post(kind=Post.Kind.OFFER, title="Camionnette", regions=[mirabel], state=Post.State.PENDING)

    services.approve_post(offer)
    inbox = by_recipient(smtp.wait_for(3))  # approval to the poster, a match email to each side
    assert "Une offre correspond peut-être à votre demande" == inbox[request.contact_email]["Subject"]
    assert "/babillard/" in inbox[request.contact_email].get_content()

    tasks.send_daily_digests.delay()
    digest = by_recipient(smtp.wait_for(4))[subscription.email]
    assert "Camionnette" in digest.get_content()
    assert (
        digest["List-Unsubscribe"].strip().startswith("<http://testserver/babillard/alertes/desabonnement/")
    )
