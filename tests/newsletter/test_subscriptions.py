"""Sign-up with double opt-in, the consent ledger, the preference centre, unsubscribing."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from newsletter import links, services, subscriber_csv
from newsletter.models import ConsentRecord, Subscriber
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def signup(client, email="lea@example.org", **extra):
    data = {
        "email": email,
        "first_name": "Léa",
        "organisation": "Maison",
        "language": "fr-ca",
        "topics": [],
        "consent": "on",
        **extra,
    }
    return client.post("/infolettre/inscription/", data)


def token_path(body, path):
    return re.search(rf"http://testserver({path}[^\s]+/)", body).group(1)


def test_double_opt_in_records_consent(client, topics):
    response = signup(client, topics=[topics[1].pk], REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING
    record = subscriber.ledger.get()
    assert (record.action, record.method, record.kind) == ("subscribed", "form", "express")
    assert "J'accepte de recevoir l'infolettre" in record.wording and record.ip_address == "127.0.0.1"
    assert record.details == {"topics": ["formations"]}
    email = OutgoingEmail.objects.get(tag="newsletter.confirm")
    confirm = token_path(email.body, "/infolettre/confirmer/")
    response = client.post(confirm)
    assert response.status_code == 302 and "/infolettre/preferences/" in response["Location"]
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED and subscriber.consent_expires_at is None
    assert [r.action for r in subscriber.ledger.all()] == ["subscribed", "confirmed"]


def test_the_confirmation_link_shows_a_button_and_only_its_post_confirms(client, topics):
    signup(client, topics=[topics[0].pk])
    confirm = token_path(OutgoingEmail.objects.get(tag="newsletter.confirm").body, "/infolettre/confirmer/")
    for _ in range(3):  # a mail scanner following the link, twice, then the person
        page = client.get(confirm)
        assert page.status_code == 200
    html = page.content.decode()
    assert "lea@example.org" in html and "Confirmer mon abonnement" in html and 'method="post"' in html
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING and subscriber.ledger.count() == 1

    response = client.post(confirm, follow=True)
    assert response.redirect_chain[-1][0].startswith("/infolettre/preferences/")
    html = response.content.decode()
    assert "C'est confirmé : vous recevrez l'infolettre." in html.replace("&#x27;", "'")
    assert 'role="status"' in html
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED


def test_same_answer_whether_or_not_the_address_exists(client, topics, make_subscriber):
    make_subscriber("deja@example.org")
    first = signup(client, "nouvelle@example.org", topics=[topics[0].pk])
    second = signup(client, "deja@example.org", topics=[topics[0].pk])
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert client.get(first["Location"]).content == client.get(second["Location"]).content
    # The existing subscriber gets a note by email, never the page.
    assert OutgoingEmail.objects.filter(tag="newsletter.already", to=["deja@example.org"]).exists()


def test_signup_errors_in_french(client, topics):
    response = signup(client, "pas-valide", consent="", topics=[])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html and "Choisissez au moins un thème." in html
    assert 'id="error_1_id_consent"' in html
    assert not Subscriber.objects.exists()


def test_honeypot_and_rate_limit(client, topics, settings):
    settings.PUBLIC_FORM_RATE = "2/d"
    assert signup(client, topics=[topics[0].pk], site_web_personnel="x").status_code == 400
    assert signup(client, "a@example.org", topics=[topics[0].pk]).status_code == 302
    assert signup(client, "b@example.org", topics=[topics[0].pk]).status_code == 429
    assert Subscriber.objects.count() == 1


def test_preference_centre_updates_and_records(client, make_subscriber, topics):
    subscriber = make_subscriber("p@example.org")
    path = links.link(subscriber, "newsletter.preferences").replace("http://testserver", "")
    html = client.get(path).content.decode()
    assert "p@example.org" in html and "Télécharger mes données" in html
    client.post(path, {"language": "en", "topics": [topics[1].pk]})
    subscriber.refresh_from_db()
    assert subscriber.language == "en" and list(subscriber.topics.all()) == [topics[1]]
    assert subscriber.ledger.last().action == ConsentRecord.Action.PREFERENCES
    data = json.loads(client.get(path + "donnees.json").content)
    subscription = data["data"]["newsletter"]["subscriptions"][0]
    assert data["address"] == "p@example.org" and subscription["email"] == "p@example.org"
    assert subscription["consent_ledger"][-1]["action"] == "Préférences modifiées"
    client.post(path + "effacer/")
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_unsubscribe_get_confirms_post_unsubscribes_one_click_without_session(client, make_subscriber):
    subscriber = make_subscriber("u@example.org")
    path = links.link(subscriber, "newsletter.unsubscribe").replace("http://testserver", "")
    assert "Confirmer le désabonnement" in client.get(path).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED  # GET changes nothing
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    assert subscriber.ledger.last().method == ConsentRecord.Method.ONE_CLICK


@pytest.mark.parametrize("path", ["confirmer", "preferences", "desabonnement"])
def test_forged_or_expired_tokens_change_nothing(client, make_subscriber, path, monkeypatch):
    subscriber = make_subscriber("f@example.org", state=Subscriber.State.PENDING)
    assert client.get(f"/infolettre/{path}/forged/").status_code == 404
    assert Client(enforce_csrf_checks=True).post(f"/infolettre/{path}/forged/").status_code in (403, 404, 405)
    purpose = {
        "confirmer": "newsletter.confirm",
        "preferences": "newsletter.preferences",
        "desabonnement": "newsletter.unsubscribe",
    }[path]
    real = links.link(subscriber, purpose).replace("http://testserver", "")
    monkeypatch.setitem(links.TOKEN_AGES, purpose, -1)  # every token is now expired
    assert client.get(real).status_code == 404
    assert Client(enforce_csrf_checks=True).post(
        real, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    ).status_code in (403, 404, 405)
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.PENDING and subscriber.ledger.count() == 0


def test_unconfirmed_signups_are_purged_after_thirty_days(make_subscriber):
    old = make_subscriber("old@example.org", state=Subscriber.State.PENDING)
    Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    recent = make_subscriber("new@example.org", state=Subscriber.State.PENDING)
    confirmed = make_subscriber("ok@example.org")
    Subscriber.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert services.purge_unconfirmed() >= 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"new@example.org", "ok@example.org"}
    assert recent


def test_implied_consent_expires_after_two_years(make_subscriber):
    subscriber = make_subscriber(
        "implied@example.org", consent_expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert Subscriber.objects.mailable().filter(pk=subscriber.pk).exists()
    assert (
        not Subscriber.objects.mailable(now=timezone.now() + datetime.timedelta(days=2))
        .filter(pk=subscriber.pk)
        .exists()
    )


CSV_OK = "email,first_name,organisation,language,topics\nA@example.org,Ana,Org A,fr-ca,generale\nb@example.org,,,en,generale formations\n"
CSV_BAD = (
    CSV_OK
    + "not-an-email,,,fr-ca,\nc@example.org,,,xx,\nd@example.org,,,fr-ca,inconnu\na@example.org,,,fr-ca,\n"
)


def test_import_is_all_or_nothing_unless_skipping(topics):
    imported, errors = subscriber_csv.import_subscribers(CSV_BAD, kind="implied", source_note="Liste 2026")
    assert imported == 0 and [line for line, _e in errors] == [4, 5, 6, 7]
    assert "adresse courriel invalide" in str(errors[0][1]) and "double" in str(errors[3][1])
    assert not Subscriber.objects.exists()
    imported, errors = subscriber_csv.import_subscribers(
        CSV_BAD, kind="implied", source_note="Liste 2026", skip_invalid=True
    )
    assert imported == 2
    a = Subscriber.objects.get(email="a@example.org")
    assert a.state == "confirmed" and a.consent_expires_at is not None
    assert a.ledger.get().method == "import" and a.ledger.get().wording == "Liste 2026"
    assert set(Subscriber.objects.get(email="b@example.org").topics.values_list("slug", flat=True)) == {
        "generale",
        "formations",
    }


def test_import_never_resubscribes_someone_who_left(make_subscriber, topics):
    make_subscriber("a@example.org", state=Subscriber.State.UNSUBSCRIBED)
    subscriber_csv.import_subscribers(CSV_OK, kind="express", source_note="x")
    assert Subscriber.objects.get(email="a@example.org").state == Subscriber.State.UNSUBSCRIBED


def test_ledger_export_for_one_subscriber(make_subscriber):
    subscriber = make_subscriber("l@example.org")
    services.record(
        subscriber, "subscribed", "form", kind="express", wording="Texte exact", ip="198.51.100.7"
    )
    csv_text = subscriber_csv.ledger_csv(subscriber)
    assert (
        csv_text.splitlines()[0].startswith("date,action,method")
        and "Texte exact" in csv_text
        and "198.51.100.7" in csv_text
    )


def test_bounces_and_complaints(make_subscriber):
    subscriber = make_subscriber("b@example.org")
    for _ in range(services.HARD_BOUNCES_BEFORE_STOP):
        services.register_bounce("b@example.org")
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.BOUNCED
    other = make_subscriber("c@example.org")
    services.register_complaint("c@example.org")
    other.refresh_from_db()
    assert other.state == Subscriber.State.UNSUBSCRIBED and other.ledger.last().action == "complained"


def test_event_registration_with_the_box_ticked(client, topics, make_event_for_newsletter):
    event = make_event_for_newsletter
    client.post(
        event.url,
        {
            "contact_name": "Eve",
            "email": "eve@example.org",
            "organisation": "O",
            "seats": 1,
            "newsletter_consent": "on",
        },
    )
    subscriber = Subscriber.objects.get(email="eve@example.org")
    assert subscriber.state == Subscriber.State.PENDING
    assert subscriber.ledger.get().method == ConsentRecord.Method.EVENT
    client.post(
        event.url, {"contact_name": "Fred", "email": "fred@example.org", "organisation": "O", "seats": 1}
    )
    assert not Subscriber.objects.filter(email="fred@example.org").exists()


def confirm_path(to):
    email = OutgoingEmail.objects.filter(tag="newsletter.confirm", to=[to]).latest("pk")
    return re.search(r"http://testserver(/(?:en/)?infolettre/confirmer/\S+/)", email.body).group(1)


def snapshot(subscriber):
    subscriber.refresh_from_db()
    return (
        subscriber.state,
        subscriber.first_name,
        subscriber.organisation,
        subscriber.language,
        sorted(subscriber.topics.values_list("slug", flat=True)),
        subscriber.ledger.count(),
        subscriber.secret,
    )


@pytest.mark.parametrize("status", ["unsubscribed", "bounced", "pending"])
def test_signing_up_a_known_address_changes_nothing_until_its_link_is_used(
    client, topics, make_subscriber, status
):
    known = make_subscriber(
        "ursule@example.org", state=status, first_name="Ursule", organisation="Maison U", language="fr-ca"
    )
    services.record(known, "subscribed", "form", kind="express", wording="avant")
    before = snapshot(known)
    response = signup(
        client,
        "Ursule@Example.org",
        first_name="Pirate",
        organisation="Ailleurs",
        language="en",
        topics=[topics[1].pk],
    )
    assert response.status_code == 302
    assert snapshot(known) == before  # status, name, organisation, language, topics, ledger: all as they were
    assert Subscriber.objects.count() == 1

    confirm = confirm_path("ursule@example.org")
    assert confirm.startswith("/en/infolettre/confirmer/")  # the email follows the language asked for
    assert client.get(confirm).status_code == 200 and snapshot(known) == before
    client.post(confirm)
    known.refresh_from_db()
    assert (known.state, known.first_name, known.organisation, known.language) == (
        "confirmed",
        "Pirate",
        "Ailleurs",
        "en",
    )
    assert list(known.topics.all()) == [topics[1]]
    subscribed, confirmed = known.ledger.all()[1:]
    assert (subscribed.action, subscribed.method, confirmed.action) == ("subscribed", "form", "confirmed")
    assert "I agree to receive" in subscribed.wording and subscribed.details["topics"] == ["formations"]
    assert subscribed.ip_address == "127.0.0.1"
    assert client.post(confirm).status_code == 404  # the request is used up


def test_signing_up_a_confirmed_address_changes_nothing_and_tells_its_owner(client, topics, make_subscriber):
    known = make_subscriber("claire@example.org", first_name="Claire", language="en")
    before = snapshot(known)
    signup(client, "claire@example.org", first_name="Pirate", language="fr-ca", topics=[topics[1].pk])
    assert snapshot(known) == before
    note = OutgoingEmail.objects.get(tag="newsletter.already", to=["claire@example.org"])
    assert "/en/infolettre/preferences/" in note.body and "already" in note.subject
    assert not OutgoingEmail.objects.filter(tag="newsletter.confirm").exists()


def test_a_newer_sign_up_replaces_the_older_request(client, topics, make_subscriber):
    known = make_subscriber("v@example.org", state=Subscriber.State.UNSUBSCRIBED)
    signup(client, "v@example.org", first_name="Premier", topics=[topics[0].pk])
    first = confirm_path("v@example.org")
    signup(client, "v@example.org", first_name="Second", topics=[topics[1].pk])
    second = confirm_path("v@example.org")
    assert client.post(first).status_code == 404
    known.refresh_from_db()
    assert known.state == "unsubscribed"
    client.post(second)
    known.refresh_from_db()
    assert (known.state, known.first_name) == ("confirmed", "Second")


def test_an_english_sign_up_is_answered_in_english_all_the_way(client, topics):
    response = client.post(
        "/en/infolettre/inscription/",
        {"email": "eng@example.org", "language": "en", "topics": [topics[0].pk], "consent": "on"},
    )
    assert response["Location"] == "/en/infolettre/inscription/merci/"
    email = OutgoingEmail.objects.get(tag="newsletter.confirm")
    assert email.subject == "Confirm your newsletter subscription"
    confirm = confirm_path("eng@example.org")
    assert confirm.startswith("/en/")
    page = client.get(confirm).content.decode()
    assert '<html lang="en">' in page and "Confirm my subscription" in page
    response = client.post(confirm, follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/infolettre/preferences/")
    html = response.content.decode()
    assert "My preferences" in html and "Confirmed: you will receive the newsletter." in html
    unsubscribe = re.search(r'href="(/en/infolettre/desabonnement/[^"]+/)"', html).group(1)
    assert "Unsubscribe from the newsletter" in client.get(unsubscribe).content.decode()


def test_saving_preferences_in_english_leads_to_the_english_page(client, make_subscriber, topics):
    subscriber = make_subscriber("bilingue@example.org")
    path = links.path(subscriber, "newsletter.preferences")
    response = client.post(path, {"language": "en", "topics": [topics[0].pk]}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/infolettre/preferences/")
    assert "Preferences saved." in response.content.decode()


HUGE = "1" + "0" * 39


def test_huge_topic_ids_are_a_field_error_on_sign_up_and_preferences(client, topics, make_subscriber):
    response = signup(client, topics=[HUGE])
    assert response.status_code == 400
    assert "Sélectionnez un choix valide." in response.content.decode()
    assert not Subscriber.objects.exists()

    subscriber = make_subscriber("p@example.org")
    before = snapshot(subscriber)
    path = links.path(subscriber, "newsletter.preferences")
    for topics_value in ([HUGE], [topics[0].pk, HUGE], ["-1"], ["abc"]):
        response = client.post(path, {"language": "en", "topics": topics_value})
        assert response.status_code == 400
        assert "Sélectionnez un choix valide." in response.content.decode()
    assert snapshot(subscriber) == before


def test_a_subscriber_cannot_save_preferences_without_a_topic(client, make_subscriber):
    subscriber = make_subscriber("t@example.org")
    before = snapshot(subscriber)
    path = links.path(subscriber, "newsletter.preferences")
    response = client.post(path, {"language": "fr-ca"})
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "Choisissez au moins un thème." in html and "Me désabonner de tout" in html
    assert snapshot(subscriber) == before


def test_topics_are_checkboxes_on_sign_up_and_preferences(client, make_subscriber, topics):
    subscriber = make_subscriber("c@example.org")
    for path in ("/infolettre/inscription/", links.path(subscriber, "newsletter.preferences")):
        html = client.get(path).content.decode()
        assert len(re.findall(r'<input type="checkbox"[^>]* name="topics"', html)) == len(topics)


def test_requests_whose_link_expired_are_deleted_at_the_next_sign_up(client, topics, make_subscriber):
    from newsletter.models import SignupRequest

    make_subscriber("old@example.org", state=Subscriber.State.UNSUBSCRIBED)
    signup(client, "old@example.org", topics=[topics[0].pk])
    SignupRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    make_subscriber("other@example.org", state=Subscriber.State.UNSUBSCRIBED)
    signup(client, "other@example.org", topics=[topics[0].pk])
    assert list(SignupRequest.objects.values_list("subscriber__email", flat=True)) == ["other@example.org"]
