"""CASL implied consent: one renewal email 30 days ahead, once per expiry, never to people who left or
were erased; its link's GET changes nothing, its POST makes the consent express with a ledger line;
forged and expired links are refused; editors see the consents lapsing within 90 days."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from newsletter import consent_renewal, links
from newsletter.models import ConsentRecord, Subscriber
from newsletter.wagtail_hooks import ExpiringConsentPanel
from tests import factories
from website.models import OutgoingEmail, SuppressedAddress
from website.privacy import address_digest

pytestmark = pytest.mark.django_db


def implied(email, days, **fields):
    """A confirmed subscriber whose implied consent lapses in `days` days (None: express consent)."""
    expires = None if days is None else timezone.now() + datetime.timedelta(days=days)
    return factories.SubscriberFactory(email=email, consent_expires_at=expires, **fields)


def renewal_emails(address=None):
    emails = OutgoingEmail.objects.filter(tag="newsletter.renewal")
    return emails.filter(to=[address]) if address else emails


def renew_path(body):
    return re.search(r"http://testserver(/(?:en/)?infolettre/renouveler/[^\s]+/)", body).group(1)


def test_asked_once_30_days_ahead_and_only_those_still_subscribed(settings):
    due = implied("due@example.org", 20)
    implied("later@example.org", 40)
    implied("lapsed@example.org", -1)
    implied("express@example.org", None)
    implied("left@example.org", 10, state=Subscriber.State.UNSUBSCRIBED)
    implied("bounced@example.org", 10, state=Subscriber.State.BOUNCED)
    implied("pending@example.org", 10, state=Subscriber.State.PENDING)
    erased = implied("erased@example.org", 10)
    SuppressedAddress.objects.create(digest=address_digest(erased.email))
    assert consent_renewal.ask_renewals() == 1
    assert [email.to for email in renewal_emails()] == [[due.email]]
    assert consent_renewal.ask_renewals() == 0  # the next day: nobody is asked twice for one expiry
    assert renewal_emails().count() == 1
    erased.refresh_from_db()
    assert erased.renewal_asked_for == erased.consent_expires_at  # never written to, never looked at again


def test_a_new_implied_consent_is_asked_about_again_when_it_nears_its_end():
    subscriber = implied("twice@example.org", 20)
    consent_renewal.ask_renewals()
    Subscriber.objects.filter(pk=subscriber.pk).update(
        consent_expires_at=timezone.now() + datetime.timedelta(days=25)  # e.g. a new event registration
    )
    assert consent_renewal.ask_renewals() == 1 and renewal_emails().count() == 2


def test_the_email_is_in_the_subscribers_language_with_their_own_links():
    french = implied("fr@example.org", 20)
    english = implied("en@example.org", 20, language="en")
    consent_renewal.ask_renewals()
    fr_mail, en_mail = renewal_emails(french.email).get(), renewal_emails(english.email).get()
    assert fr_mail.subject == "Voulez-vous continuer de recevoir notre infolettre?"
    assert en_mail.subject == "Would you like to keep receiving our newsletter?"
    assert "consentement tacite" in fr_mail.body and "implied consent" in en_mail.body
    for subscriber, mail in ((french, fr_mail), (english, en_mail)):
        with translation.override(subscriber.language):
            date = date_format(timezone.localtime(subscriber.consent_expires_at), "DATE_FORMAT")
        assert date in mail.body
    assert renew_path(fr_mail.body).startswith("/infolettre/renouveler/")
    assert renew_path(en_mail.body).startswith("/en/infolettre/renouveler/")
    assert links.subscriber_from_token(renew_path(fr_mail.body).split("/")[-2], "newsletter.renew") == french
    assert "/infolettre/desabonnement/" in fr_mail.body and "/en/infolettre/desabonnement/" in en_mail.body
    assert en_mail.headers["List-Unsubscribe"].startswith("<http://testserver/en/infolettre/desabonnement/")


def test_rendered_once_per_language_then_personalised(monkeypatch):
    calls = []
    real = consent_renewal.render_to_string

    def counting(template, *args, **kwargs):
        calls.append(template)
        return real(template, *args, **kwargs)

    monkeypatch.setattr(consent_renewal, "render_to_string", counting)
    for index in range(4):
        implied(f"fr{index}@example.org", 20)
        implied(f"en{index}@example.org", 20, language="en")
    assert consent_renewal.ask_renewals() == 8
    assert len(calls) == 4  # subject and body, in two languages
    bodies = {email.body for email in renewal_emails()}
    assert len(bodies) == 8 and not any("maillon-" in body for body in bodies)


def asked(subscriber):
    consent_renewal.ask_renewals()
    return renew_path(renewal_emails(subscriber.email).get().body)


def test_following_the_link_changes_nothing_until_the_button_is_pressed(client):
    subscriber = implied("lea@example.org", 20)
    url = asked(subscriber)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Oui, je veux continuer de recevoir l'infolettre" in html and '<form method="post">' in html
    subscriber.refresh_from_db()
    assert subscriber.consent_expires_at is not None and not subscriber.ledger.exists()

    response = client.post(url, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302 and "/infolettre/preferences/" in response["Location"]
    subscriber.refresh_from_db()
    assert subscriber.consent_expires_at is None
    line = subscriber.ledger.get()
    assert (line.action, line.kind, line.method) == ("renewed", "express", "link")
    assert line.ip_address == "203.0.113.7" and "continuer de recevoir l'infolettre" in line.wording
    assert "implied_until" in line.details
    assert "vous continuerez de recevoir" in client.get(response["Location"]).content.decode()
    client.post(url)  # a second click records nothing more
    assert subscriber.ledger.count() == 1
    assert "déjà enregistré" in client.get(url).content.decode()


def test_in_english_all_the_way(client):
    subscriber = implied("sam@example.org", 20, language="en")
    url = asked(subscriber)
    html = client.get(url).content.decode()
    assert "Keep receiving the newsletter" in html and "Yes, I want to keep receiving the newsletter" in html
    response = client.post(url)
    assert response["Location"].startswith("/en/infolettre/preferences/")
    assert "you will keep receiving" in client.get(response["Location"]).content.decode()
    line = Subscriber.objects.get(pk=subscriber.pk).ledger.get()
    assert line.wording.startswith("I want to keep receiving")


def test_forged_and_expired_links_are_refused_and_change_nothing(client, monkeypatch):
    subscriber = implied("f@example.org", 20)
    url = asked(subscriber)
    forged = url.replace("/renouveler/", "/renouveler/x")
    assert client.get(forged).status_code == 404 and client.post(forged).status_code == 404
    other = links.link(subscriber, "newsletter.preferences").split("/")[-2]  # a token for another purpose
    assert client.post(f"/infolettre/renouveler/{other}/").status_code == 404
    monkeypatch.setitem(links.TOKEN_AGES, "newsletter.renew", -1)  # every renewal link has now expired
    assert client.get(url).status_code == 404
    assert Client(enforce_csrf_checks=True).post(url).status_code in (403, 404)
    assert client.post(url).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.consent_expires_at is not None and not subscriber.ledger.exists()


def test_someone_who_unsubscribed_since_is_not_subscribed_again(client):
    subscriber = implied("parti@example.org", 20)
    url = asked(subscriber)
    Subscriber.objects.filter(pk=subscriber.pk).update(state=Subscriber.State.UNSUBSCRIBED)
    assert "n'est plus abonnée" in client.get(url).content.decode()
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == "unsubscribed" and subscriber.consent_expires_at is not None
    assert not ConsentRecord.objects.filter(action="renewed").exists()


@pytest.fixture
def expiring_set():
    for index in range(3):
        implied(f"bientot{index}@example.org", 10 + 30 * index)  # 10, 40 and 70 days
    implied("loin@example.org", 100)
    implied("echu@example.org", -1)
    implied("expres@example.org", None)
    implied("parti@example.org", 20, state=Subscriber.State.UNSUBSCRIBED)


def test_editors_see_how_many_consents_lapse_within_90_days_with_a_list(client, admin_user, expiring_set):
    client.force_login(admin_user)
    consent_renewal.ask_renewals()  # the one within 30 days is asked
    html = client.get("/admin/").content.decode()
    assert 'data-expiring-count="3"' in html and "3 consentements tacites prennent fin" in html
    assert html.count("bientot") == 3 and "loin@" not in html and "parti@" not in html
    assert html.count(">Oui<") == 1 and html.count("Pas encore") == 2
    listing = client.get("/admin/snippets/newsletter/subscriber/?consent=90").content.decode()
    assert all(f"bientot{i}@example.org" in listing for i in range(3))
    assert not any(f"{name}@example.org" in listing for name in ("loin", "echu", "expres", "parti"))


def test_the_panel_is_for_those_who_may_see_subscribers(client, expiring_set, django_user_model):
    user = django_user_model.objects.create_user("pages", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert "data-expiring-count" not in client.get("/admin/").content.decode()


def test_the_panel_costs_the_same_queries_for_few_or_many(expiring_set):
    with CaptureQueriesContext(connection) as few:
        ExpiringConsentPanel().render_html()
    for index in range(30):
        implied(f"plus{index}@example.org", 50)
    with CaptureQueriesContext(connection) as many:
        html = ExpiringConsentPanel().render_html()
    assert 'data-expiring-count="33"' in html and len(many) == len(few)
