"""Each person gets the babillard's emails in the language they used, with links in that language,
and dates and numbers in that language's formats."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from bulletin import links as board_links
from bulletin import services
from bulletin.models import AlertSubscription, Post

pytestmark = pytest.mark.django_db


def links(body):
    return re.findall(r"http://testserver(/\S*)", body)


def submission(transport, mirabel, **overrides):
    return {
        "kind": "offre",
        "title": "Van to share",
        "description": "Free on Tuesdays.",
        "category": transport.pk,
        "regions": [mirabel.pk],
        "organisation": "North Food Bank",
        "contact_name": "Robin",
        "contact_email": "robin@example.org",
        "expires_on": Post.default_expiry().isoformat(),
        "premises_accessible": "unknown",
        **overrides,
    }


def test_a_post_written_in_english_gets_every_email_in_english(client, transport, mirabel, queued):
    response = client.post("/en/babillard/publier/", submission(transport, mirabel))
    assert response.status_code == 302 and response["Location"] == "/en/babillard/publier/merci/"
    post = Post.objects.get()
    assert post.language == "en"

    (confirmation,) = queued("bulletin.confirm")
    assert confirmation.subject == "Confirm your board post"
    assert confirmation.body.startswith("Hello Robin,")
    (confirm_link,) = links(confirmation.body)
    assert confirm_link.startswith("/en/babillard/confirmer/")
    response = client.post(confirm_link)
    assert "Address confirmed" in response.content.decode()

    (notice,) = queued("bulletin.editors")  # editors read the admin's language, French
    assert notice.subject.startswith("Annonce à modérer")

    post.refresh_from_db()
    services.approve_post(post)
    (approved,) = queued("bulletin.approved")
    assert approved.subject == "Your post is published"
    assert links(approved.body) == [
        f"/en/babillard/{post.pk}-{post.slug}/",
        links(approved.body)[1],
    ]
    assert links(approved.body)[1].startswith("/en/babillard/gerer/")

    services.relay_message(post, "Camille", "camille@example.org", "Bonjour, est-ce libre?")
    (relay,) = queued("bulletin.relay")
    assert relay.subject.startswith("Message about your post")
    assert links(relay.body)[0].startswith("/en/babillard/gerer/")

    post.expires_on = timezone.localdate() + datetime.timedelta(days=5)
    post.save()
    services.send_expiry_reminders()
    (reminder,) = queued("bulletin.reminder")
    assert reminder.subject == "Your post expires soon"
    with translation.override("en"):
        english_date = date_format(post.expires_on)  # "March 16, 2027", not "2027-03-16"
    assert f"will leave the board on {english_date}." in reminder.body
    assert post.expires_on.isoformat() not in reminder.body
    assert links(reminder.body)[0].startswith("/en/babillard/gerer/")


def test_a_rejection_is_in_the_posters_language_and_links_to_the_form_in_it(make_post, queued):
    post = make_post(state=Post.State.PENDING, published_at=None, language="en", contact_name="Robin")
    services.reject_post(post, "Outside our territory")
    (email,) = queued("bulletin.rejected")
    assert email.subject == "Your post was not published"
    assert "Reason: Outside our territory" in email.body
    assert links(email.body) == ["/en/babillard/publier/"]


def test_a_french_post_gets_french_emails_and_french_links(make_post, queued):
    post = make_post(state=Post.State.PENDING, published_at=None, contact_name="Dominique")
    services.approve_post(post)
    (email,) = queued("bulletin.approved")
    assert email.subject == "Votre annonce est publiée" and email.body.startswith("Bonjour Dominique,")
    assert all(not link.startswith("/en/") for link in links(email.body))


def test_each_side_of_a_match_hears_in_their_own_language(make_post, mirabel, queued):
    request = make_post(kind=Post.Kind.REQUEST, regions=[mirabel], language="en")
    offer = make_post(kind=Post.Kind.OFFER, regions=[mirabel], state=Post.State.PENDING)
    services.approve_post(offer)
    to_request = next(e for e in queued("bulletin.match") if e.to == [request.contact_email])
    to_offer = next(e for e in queued("bulletin.match") if e.to == [offer.contact_email])
    assert to_request.subject == "An offer may match your request"
    assert links(to_request.body) == [f"/en/babillard/{offer.pk}-{offer.slug}/"]
    assert to_offer.subject == "Une demande correspond peut-être à votre offre"
    assert links(to_offer.body) == [f"/babillard/{request.pk}-{request.slug}/"]


def test_emails_greet_properly_when_the_name_is_missing(make_post, queued):
    post = make_post(state=Post.State.PENDING, contact_name="")
    services.approve_post(post)
    (email,) = queued("bulletin.approved")
    assert email.body.startswith("Bonjour,\n") and "Bonjour ," not in email.body


def test_an_alert_taken_in_english_is_confirmed_and_sent_in_english(client, make_post, mirabel, queued):
    response = client.post(
        "/en/babillard/alertes/",
        {"email": "watch@example.org", "kind": "", "category": "", "region": "", "consent": "on"},
    )
    assert "Check your email" in response.content.decode()
    subscription = AlertSubscription.objects.get()
    assert subscription.language == "en"
    (confirmation,) = queued("bulletin.alert")
    assert confirmation.subject == "Confirm your board alert"
    (confirm_link,) = links(confirmation.body)
    assert confirm_link.startswith("/en/babillard/alertes/confirmer/")
    client.post(confirm_link)
    post = make_post(regions=[mirabel], title="Tuesday van")
    assert services.send_daily_digests() == 1
    (digest,) = queued("bulletin.digest")
    assert digest.subject == "1 new post on the board"
    assert links(digest.body) == [f"/en/babillard/{post.pk}-{post.slug}/", links(digest.body)[1]]
    assert links(digest.body)[1].startswith("/en/babillard/alertes/desabonnement/")
    assert digest.headers["List-Unsubscribe"].startswith("<http://testserver/en/babillard/alertes/")


@pytest.mark.parametrize(
    "prefix, expected", [("", "Annonce renouvelée jusqu'au {fr}."), ("/en", "Post renewed until {en}.")]
)
def test_renewal_message_writes_the_date_in_the_readers_format(client, make_post, prefix, expected):
    post = make_post(expires_on=datetime.date(2027, 1, 15))
    path = board_links.manage_url(post).replace("http://testserver", "")
    path = prefix + path
    with _today(datetime.date(2027, 1, 10)):
        response = client.post(path + "renouveler/", follow=True)
    expected = expected.format(fr="16 mars 2027", en="March 16, 2027")
    assert expected in response.content.decode().replace("&#x27;", "'")
    assert "jusqu'au 2027" not in response.content.decode().replace("&#x27;", "'")
    assert "until 2027" not in response.content.decode()


def _today(day):
    """Freeze timezone.localdate() for the renewal (its cap depends on today)."""
    from unittest import mock

    return mock.patch("bulletin.services.management.timezone.localdate", return_value=day)


@pytest.mark.parametrize("prefix, hours, cost", [("", "14", "1\u202f200\u00a0$"), ("/en", "14", "$1,200")])
def test_post_page_writes_dates_and_numbers_in_the_readers_format(client, make_post, prefix, hours, cost):
    from decimal import Decimal

    post = make_post(
        staff_hours_per_week=Decimal("14.0"),
        training_cost=Decimal("1200.00"),
        available_from=datetime.date(2027, 3, 16),
    )
    html = client.get(prefix + f"/babillard/{post.pk}-{post.slug}/").content.decode()
    assert "14.0" not in html and "14,0" not in html and f">{hours}<" in html
    assert cost in html
    assert ("16 mars 2027" if not prefix else "March 16, 2027") in html
