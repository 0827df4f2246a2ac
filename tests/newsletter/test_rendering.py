"""An issue rendered as an email: inlined CSS, plain text, personal links, CASL footer, no tracking."""

import pytest
from django.core import mail
from django.core.management import call_command

from newsletter import rendering, sending
from newsletter.models import Delivery, NewsletterIssuePage, Send, Subscriber
from website.i18n import in_default_locale

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(db):
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    return in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")


def test_issue_email_is_inlined_with_text_alternative_and_live_content(issue):
    subject, html, text = rendering.render_issue(issue, "fr-ca")
    assert subject == issue.subject
    assert 'style="' in html and "<style>" not in html.split("<body")[1]  # CSS inlined by css-inline
    assert (
        "Nouveau au babillard" in html and "Camionnette disponible les mardis" in html
    )  # filled at send time
    assert "Prochains événements" in text and "Webinaire" in text
    assert "123, rue Principale" in html and "Réseau régional de mutualisation (démo)" in text  # CASL footer
    assert "http://testserver/babillard/" in html  # absolute links
    assert rendering.UNSUBSCRIBE in html and rendering.UNSUBSCRIBE in text


def test_each_recipient_gets_their_own_links_and_one_click_headers(issue):
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    assert Delivery.objects.filter(send=send).count() == Subscriber.objects.mailable().count() == 3
    sent = sending.send_batch(send.pk)
    assert sent == 3 and len(mail.outbox) == 3
    links = set()
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith("http://testserver/infolettre/desabonnement/")
        assert unsubscribe in message.body and message.alternatives[0][1] == "text/html"
        assert message.track_opens is False and message.track_clicks is False
        links.add(unsubscribe)
    assert len(links) == 3
    assert sending.send_batch(send.pk) == 0
    send.refresh_from_db()
    assert send.state == Send.State.DONE


def test_audience_is_confirmed_subscribers_of_the_issue_topics(issue, make_subscriber, topics):
    make_subscriber("trainings-only@example.org", topic=topics[1])
    make_subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    make_subscriber("left@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    emails = set(sending.audience(issue).values_list("email", flat=True))
    assert "trainings-only@example.org" not in emails and "pending@example.org" not in emails
    assert "left@example.org" not in emails and "annie@example.org" in emails


def test_unsubscribing_cancels_what_is_not_sent_yet(issue):
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    from newsletter import services

    annie = Subscriber.objects.get(email="annie@example.org")
    services.unsubscribe(annie)
    sending.send_batch(send.pk)
    assert "annie@example.org" not in [m.to[0] for m in mail.outbox]
    assert Delivery.objects.get(subscriber=annie).state == Delivery.State.CANCELLED


def test_english_subscribers_get_the_english_translation_when_there_is_one(issue):
    from wagtail.actions.convert_alias import ConvertAliasPageAction
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    # The English tree holds an alias of the issue; an editor turns it into a translation.
    alias = issue.get_translation(en)
    ConvertAliasPageAction(alias).execute()
    translation = alias.specific
    translation.refresh_from_db()
    translation.subject = "Sharing: a van, a room and a training"
    translation.save_revision().publish()
    subject, _html, _text = rendering.render_issue(issue, "en")
    assert subject == "Sharing: a van, a room and a training"
    assert rendering.render_issue(issue, "fr-ca")[0] == issue.subject
