"""Against the real pipeline (Redis, Celery workers, loopback SMTP): the count the send screen shows is
the number of messages delivered, for several audiences; the daily renewal task's emails arrive once,
in each person's language, and their link works from the real message."""

import datetime
import re
import time

import pytest
from django.utils import timezone

from newsletter import consent_renewal, tasks
from newsletter.models import Send, Subscriber
from tests import factories
from tests.support.worker import CeleryWorker
from website.models import Organisation, OutgoingEmail

from .test_audience import narrowed_issue, organisation, screen_count, subscriber

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

OBNL, COOP = Organisation.Kind.NON_PROFIT, Organisation.Kind.COOPERATIVE


def wait_for(check, timeout=120, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def received_by_subject(smtp, subject):
    with smtp.lock:
        return [recipients[0] for recipients, message in smtp.messages if message["Subject"] == subject]


def test_the_count_on_the_send_screen_is_the_number_of_messages_delivered(
    client, admin_user, celery_worker, smtp
):
    client.force_login(admin_user)
    laurentides = factories.RegionFactory(slug="les-laurentides", name="Les Laurentides")
    mirabel = factories.RegionFactory(slug="mirabel", name="Mirabel")
    orgs = [
        organisation("Centre du Nord", OBNL, [laurentides]),
        organisation("Coop de Mirabel", COOP, [mirabel]),
        organisation("Réseau des deux MRC", OBNL, [laurentides, mirabel]),
    ]
    for index in range(12):
        subscriber(f"membre{index}@example.org", orgs[index % 3], language="en" if index % 4 else "fr-ca")
    for index in range(5):
        subscriber(f"seul{index}@example.org")
    subscriber("parti@example.org", orgs[0], state=Subscriber.State.UNSUBSCRIBED)
    cases = [
        ("tous", {}, 17),
        ("laurentides", {"regions": [laurentides]}, 8),
        ("cooperatives", {"kinds": [COOP]}, 4),
        ("mirabel-obnl-et-sans", {"regions": [mirabel], "kinds": [OBNL], "include_unlinked": True}, 9),
    ]
    worker = CeleryWorker(email_url=smtp.url, name="nl-audience", queues="newsletter").start()
    try:
        for slug, filters, expected in cases:
            issue = narrowed_issue(slug, **filters)
            issue.subject = f"Numéro {slug}"
            issue.save_revision().publish()
            shown = screen_count(client.get(f"/admin/infolettre/numeros/{issue.pk}/").content.decode())
            response = client.post(f"/admin/infolettre/numeros/{issue.pk}/envoyer/", {"confirm": "yes"})
            assert response.status_code == 302
            done = Send.objects.filter(issue=issue, state=Send.State.DONE)
            wait_for(done.exists)
            delivered = received_by_subject(smtp, issue.subject)  # "done": the server took every one
            assert shown == len(delivered) == len(set(delivered)) == expected, slug
    finally:
        worker.stop()


def renewal_link(message):
    body = message.get_content()
    return re.search(r"https?://[^/\s]+(/(?:en/)?infolettre/renouveler/[^\s]+/)", body).group(1)


def test_the_daily_task_asks_once_in_each_language_and_the_link_from_the_email_renews(
    client, celery_worker, smtp
):
    soon = timezone.now() + datetime.timedelta(days=20)
    french = factories.SubscriberFactory(email="lea@example.org", consent_expires_at=soon)
    english = factories.SubscriberFactory(email="sam@example.org", consent_expires_at=soon, language="en")
    factories.SubscriberFactory(email="later@example.org", consent_expires_at=soon + datetime.timedelta(60))
    tasks.ask_consent_renewals.delay()
    messages = dict((recipients[0], message) for recipients, message in smtp.wait_for(2, timeout=120))
    assert set(messages) == {french.email, english.email}
    assert messages[french.email]["Subject"] == "Voulez-vous continuer de recevoir notre infolettre?"
    assert messages[english.email]["Subject"] == "Would you like to keep receiving our newsletter?"
    assert str(messages[english.email]["List-Unsubscribe"]).strip().startswith("<http://testserver/en/")

    assert consent_renewal.ask_renewals() == 0  # asked already: the next run writes to nobody
    assert OutgoingEmail.objects.filter(tag="newsletter.renewal").count() == 2

    for person, message in ((french, messages[french.email]), (english, messages[english.email])):
        url = renewal_link(message)
        assert client.get(url).status_code == 200
        person.refresh_from_db()
        assert person.consent_expires_at is not None  # following the link alone changes nothing
        assert client.post(url).status_code == 302
        person.refresh_from_db()
        line = person.ledger.get()
        assert person.consent_expires_at is None and (line.action, line.kind) == ("renewed", "express")
