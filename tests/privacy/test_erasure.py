"""Erasure that erases (Law 25): one service finds, exports and erases what a person left in every app,
keeps only a hashed suppression entry, and imports and sign-ups respect it."""

import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry, Page

from bulletin.models import AlertSubscription, Post
from events.models import Registration
from newsletter import links as newsletter_links
from newsletter import subscriber_csv
from newsletter.models import Subscriber, Topic
from tests.privacy.conftest import (
    ANSWER,
    CLOSED_TEXT,
    DIETARY,
    EMAIL,
    NEEDLES,
    PHONE,
    follow,
    link_in,
)
from website import outbox, privacy
from website.models import OutgoingEmail, PersonalDataRequest, SuppressedAddress

pytestmark = pytest.mark.django_db


def preferences_path(email=EMAIL):
    subscriber = Subscriber.objects.get(email__iexact=email)
    return newsletter_links.path(subscriber, "newsletter.preferences")


def test_the_footprint_really_is_everywhere(footprint):
    """The scene the erasure tests start from: the address is in every app, and more."""
    tables = {model for model, _field, _pk in privacy.leftovers(EMAIL)}
    assert {
        "bulletin.Post",
        "bulletin.Report",
        "bulletin.ContactMessage",
        "bulletin.AlertSubscription",
        "events.Registration",
        "newsletter.Subscriber",
        "newsletter.Delivery",
        "wagtailforms.FormSubmission",
        "website.OutgoingEmail",
        "wagtailcore.ModelLogEntry",
    } <= tables
    assert {model for model, _f, _pk in privacy.leftovers(DIETARY)} >= {"events.Registration"}
    assert Post.objects.all().search("Filion") and Post.objects.all().search("fourgonnette")


def test_erasing_from_the_preferences_page_leaves_the_address_in_no_table(
    footprint, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    # Development mail: some of her emails were written to files.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    for email in OutgoingEmail.objects.all():
        outbox.deliver(email.pk)
    assert any(EMAIL.lower() in path.read_text().lower() for path in tmp_path.iterdir())
    unrelated = OutgoingEmail.objects.filter(tag="bulletin.editors").exclude(body__icontains=EMAIL).count()

    path = preferences_path()
    page = client.get(path + "effacer/").content.decode()
    assert "Fourgonnette à partager" in page and "Inscriptions" in page and "Alertes" in page
    assert "bulletin.post.submitted" not in page  # the admin log is the officer's business
    with django_capture_on_commit_callbacks(execute=True):  # mail files go once the erasure commits
        with_commit = client.post(path + "effacer/")
    assert with_commit.status_code == 200 and "Données effacées" in with_commit.content.decode()

    assert privacy.leftovers(*NEEDLES) == []
    assert not any(EMAIL.lower() in p.read_text(errors="replace").lower() for p in tmp_path.iterdir())
    # What was not hers stays.
    assert OutgoingEmail.objects.filter(tag="bulletin.editors").count() >= unrelated
    assert SuppressedAddress.objects.filter(digest=privacy.address_digest(EMAIL)).exists()


def test_what_the_network_counts_is_kept_without_who(footprint):
    privacy.erase(EMAIL.upper())
    closed = Post.objects.get(pk=footprint.closed_post.pk)
    assert (closed.state, closed.outcome, closed.savings_money) == (Post.State.CLOSED, "shared", 800)
    assert closed.partner_organisation == "Maison des jeunes" and closed.regions.exists()
    assert (closed.contact_name, closed.contact_email, closed.phone, closed.description) == ("", "", "", "")
    assert CLOSED_TEXT not in closed.title
    assert not Post.objects.filter(pk=footprint.posts[0].pk).exists()  # the open post is gone
    # The search index forgot both texts (on PostgreSQL it holds them as lexemes the scan cannot read).
    assert not Post.objects.all().search("Filion") and not Post.objects.all().search("fourgonnette")

    past = Registration.objects.get(pk=footprint.past_registration.pk)
    assert (past.seats, past.attended, past.state) == (1, 1, Registration.State.CONFIRMED)
    assert (past.contact_name, past.email, past.attendee_names, past.answers) == ("", "", [], {})
    assert (past.dietary_needs, past.accessibility_needs) == ("", "")
    assert past.secret != footprint.past_registration.secret  # the emailed link is dead
    assert not Registration.objects.filter(pk=footprint.upcoming_registration.pk).exists()


def test_jobs_that_write_to_past_attendees_skip_an_anonymised_registration(footprint):
    from events import services

    privacy.erase(EMAIL)
    before = OutgoingEmail.objects.count()
    services.send_follow_ups()  # the past event ended three days ago: its follow-up is due
    assert not OutgoingEmail.objects.filter(pk__gt=0, to=[""]).exists()
    assert OutgoingEmail.objects.count() >= before
    assert privacy.leftovers(EMAIL) == []


def test_erasing_an_upcoming_registration_gives_its_seats_to_the_waiting_list(demo, make_event_registrations):
    event, hers, waiting = make_event_registrations
    privacy.erase(EMAIL)
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.CONFIRMED
    assert not Registration.objects.filter(pk=hers.pk).exists()


@pytest.fixture
def make_event_registrations(demo):
    from events import services
    from events.models import EventPage
    from website.i18n import in_default_locale

    event = in_default_locale(EventPage.objects).get(slug="reseautage-basses-laurentides")
    EventPage.objects.filter(pk=event.pk).update(capacity=2)
    event.refresh_from_db()
    hers = services.register(event, seats=2, contact_name="G", email=EMAIL, organisation="P")
    waiting = services.register(event, seats=1, contact_name="L", email="luc@example.org", organisation="Q")
    assert waiting.state == Registration.State.WAITING
    return event, hers, waiting


def test_export_holds_every_app_and_is_recorded_without_the_address(footprint, client):
    response = client.get(preferences_path() + "donnees.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["address"] == EMAIL.lower()
    parts = data["data"]
    assert len(parts["bulletin"]["posts"]) == 2 and parts["bulletin"]["posts"][0]["phone"] == PHONE
    assert parts["bulletin"]["reports"] and parts["bulletin"]["messages_sent"] and parts["bulletin"]["alerts"]
    assert len(parts["bulletin"]["messages_received"]) == 1
    registrations = parts["events"]["registrations"]
    assert {r["dietary_needs"] for r in registrations} == {DIETARY}
    assert ANSWER in registrations[0]["answers"].values()
    assert parts["newsletter"]["subscriptions"][0]["consent_ledger"]
    assert parts["newsletter"]["newsletters_sent"]
    assert parts["website"]["support_requests"][0]["answers"]["telephone"] == PHONE
    assert parts["website"]["emails"]
    request = PersonalDataRequest.objects.get(kind="export")
    assert request.channel == "person" and request.digest == privacy.address_digest(EMAIL)
    assert privacy.leftovers(EMAIL) and not [
        hit for hit in privacy.leftovers(EMAIL) if hit[0] in ("website.PersonalDataRequest",)
    ]


def test_an_import_after_the_erasure_skips_the_address_and_says_so(footprint):
    privacy.erase(EMAIL)
    topic = Topic.objects.order_by("pk").first()
    csv = f"email,first_name,topics\n{EMAIL.upper()},Ginette,{topic.slug}\nautre@example.org,Autre,{topic.slug}\n"
    imported, errors = subscriber_csv.import_subscribers(csv, kind="express", source_note="Liste des membres")
    assert imported == 0 and [number for number, _e in errors] == [2]
    assert "effacée à la demande de la personne" in str(errors[0][1])
    imported, errors = subscriber_csv.import_subscribers(
        csv, kind="express", source_note="Liste des membres", skip_invalid=True
    )
    assert imported == 1 and len(errors) == 1
    assert not Subscriber.objects.filter(email__iexact=EMAIL).exists()
    assert privacy.leftovers(EMAIL) == []


def test_a_sign_up_after_the_erasure_gets_the_same_answer_and_no_email(footprint, client):
    privacy.erase(EMAIL)
    topic = Topic.objects.order_by("pk").first()
    data = {"email": EMAIL, "language": "fr-ca", "consent": "on", "topics": [topic.pk]}
    client.get("/")  # shows (and so clears) any message the footprint's own steps left in the session
    erased = client.post("/infolettre/inscription/", data, follow=True).content.decode()
    fresh = client.post("/infolettre/inscription/", {**data, "email": "neuve@example.org"}, follow=True)
    assert erased == fresh.content.decode()  # nobody can tell an erased address from another
    alert = {"email": EMAIL, "kind": "", "category": "", "region": "", "consent": "on"}
    assert "Vérifiez vos courriels" in client.post("/babillard/alertes/", alert).content.decode()
    assert not Subscriber.objects.filter(email__iexact=EMAIL).exists()
    assert not AlertSubscription.objects.filter(email__iexact=EMAIL).exists()
    assert privacy.leftovers(EMAIL) == []  # no email was queued to her
    assert OutgoingEmail.objects.filter(to__icontains="neuve@example.org").exists()


def test_lifting_the_suppression_lets_the_person_subscribe_again_with_a_fresh_double_opt_in(
    footprint, client
):
    privacy.erase(EMAIL)
    assert privacy.is_suppressed(EMAIL)
    assert privacy.lift_suppression(EMAIL.upper())
    topic = Topic.objects.order_by("pk").first()
    data = {"email": EMAIL, "language": "fr-ca", "consent": "on", "topics": [topic.pk]}
    client.post("/infolettre/inscription/", data)
    assert Subscriber.objects.get(email__iexact=EMAIL).state == Subscriber.State.PENDING
    follow(client, link_in("/infolettre/confirmer/", to=EMAIL))
    assert Subscriber.objects.get(email__iexact=EMAIL).state == Subscriber.State.CONFIRMED


def test_the_suppression_entry_is_a_keyed_hash_of_the_normalised_address(settings):
    digest = privacy.address_digest("  Ginette.Plouffe@Exemple.ORG ")
    assert digest == privacy.address_digest("ginette.plouffe@exemple.org") and len(digest) == 64
    assert "ginette" not in digest
    settings.PRIVACY_HASH_KEY = "another-key"
    assert privacy.address_digest("ginette.plouffe@exemple.org") != digest  # not a plain SHA-256


def test_log_entries_that_name_the_person_keep_their_action_but_lose_the_person(footprint):
    post = footprint.posts[0]
    submitted = ModelLogEntry.objects.filter(action="bulletin.post.submitted", object_id=str(post.pk))
    assert submitted.get().data["email"] == EMAIL
    privacy.erase(EMAIL)
    entry = submitted.get()
    assert entry.data == {} and entry.label == privacy.ERASED
    erasure = ModelLogEntry.objects.get(action="website.personal_data.erasure")
    assert erasure.data["digest"] == privacy.address_digest(EMAIL)[:12]


def test_leftovers_scans_every_text_and_json_column_of_every_model(demo):
    """The scan the erasure tests rely on finds the address wherever it hides, in models no source
    knows about (a user account, a page title, a revision's JSON)."""
    user = get_user_model().objects.create(username="g", email=EMAIL)
    page = Page.objects.filter(depth=2).first()
    Page.objects.filter(pk=page.pk).update(title=f"Page de {EMAIL}")
    page.specific.save_revision()
    hits = privacy.leftovers(EMAIL.upper())
    assert ("auth.User", "email", user.pk) in hits
    assert ("wagtailcore.Page", "title", page.pk) in hits
    assert any(model == "wagtailcore.Revision" and field == "content" for model, field, _pk in hits)


def test_an_address_that_holds_nothing_is_still_blocked_after_erasure(db):
    assert privacy.erase("personne@example.org") == []
    assert privacy.is_suppressed("Personne@Example.org")
    assert not privacy.is_suppressed("")


def test_a_sign_up_awaiting_confirmation_is_exported_and_erased(db, client):
    """A second sign-up for an address still pending waits for the emailed link. It is that person's
    data: the export shows it, the erasure removes it."""
    from newsletter.models import SignupRequest, Topic

    topic = Topic.objects.first() or Topic.objects.create(name="Mutualisation", slug="mutualisation")
    address = "lucie.tremblay@exemple.org"
    first = {
        "email": address,
        "first_name": "Lucie",
        "language": "fr-ca",
        "consent": "on",
        "topics": [topic.pk],
    }
    assert client.post("/infolettre/inscription/", first).status_code == 302
    second = {**first, "first_name": "Quelqu'un d'autre", "language": "en"}
    assert client.post("/infolettre/inscription/", second).status_code == 302
    assert SignupRequest.objects.filter(subscriber__email=address).exists()

    pending = privacy.export(address)["data"]["newsletter"]["subscriptions"][0]["pending_signup"]
    assert pending["first_name"] == "Quelqu'un d'autre" and pending["language"] == "en"
    assert pending["topics"] == [topic.name]

    privacy.erase(address)
    assert not SignupRequest.objects.exists()
