"""Support requests followed to their result: status, first response, notes, the requester's email,
links to what they led to, retention."""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from bulletin import selectors as board_selectors
from events import selectors as event_selectors
from tests import factories
from website import accompaniment, outbox, privacy
from website import selectors as support_selectors
from website.i18n import in_default_locale
from website.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    OutgoingEmail,
    SupportRequest,
    SupportRequestNote,
)

pytestmark = pytest.mark.django_db

Status = SupportRequest.Status


def answers(**overrides):
    data = {
        "nom_de_lorganisme": "Maison de la famille",
        "personne_ressource": "Julie Tremblay",
        "courriel": "julie@example.org",
        "telephone": "",
        "region": "Mirabel",
        "ce_que_vous_souhaitez_mutualiser": ["Locaux"],
        "decrivez_votre_projet": "Partager une salle de formation avec un organisme voisin.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit(client, home):
    def submit(url="/accompagnement/", **overrides):
        response = client.post(url, answers(**overrides))
        assert response.status_code == 302, response.content.decode()[:500]
        return SupportRequest.objects.select_related("submission").latest("pk")

    return submit


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("marie", "marie@reseau.example", "x", first_name="Marie")


def test_a_request_sent_through_the_form_is_new_in_the_language_and_mrc_of_the_person(submit):
    french = submit()
    english = submit(url="/en/accompagnement/", courriel="sam@example.org")
    assert french.status == Status.NEW and french.first_response_at is None and french.closed_at is None
    assert french.submission.form_data["courriel"] == "julie@example.org"
    assert (french.language, english.language) == ("fr-ca", "en")
    assert french.region.slug == "mirabel"
    assert french.submitted_at == french.submission.submit_time


def test_first_response_is_when_the_status_first_leaves_new(submit, editor):
    request = submit()
    received = request.submitted_at
    accompaniment.add_note(request.pk, text="Appeler mardi", user=editor, now=received + timedelta(hours=1))
    accompaniment.assign(request.pk, editor=editor, user=editor)
    request.refresh_from_db()
    assert request.first_response_at is None  # a note or an assignment is not a response
    assert request.assigned_to == editor

    accompaniment.change_status(
        request.pk, status=Status.IN_PROGRESS, user=editor, now=received + timedelta(hours=5)
    )
    accompaniment.change_status(request.pk, status=Status.DONE, user=editor, now=received + timedelta(days=9))
    request.refresh_from_db()
    assert request.first_response_time == timedelta(hours=5)
    assert request.closed_at == received + timedelta(days=9)
    history = [(c.old_status, c.new_status, c.changed_by) for c in request.status_changes.all()]
    assert history == [(Status.NEW, Status.IN_PROGRESS, editor), (Status.IN_PROGRESS, Status.DONE, editor)]
    assert support_selectors.first_response_times(SupportRequest.objects.filter(pk=request.pk)) == [
        timedelta(hours=5)
    ]


def test_a_closed_request_may_be_reopened_but_never_become_new_again(submit):
    request = submit()
    with pytest.raises(accompaniment.TransitionRefused):
        accompaniment.change_status(request.pk, status=Status.NEW)
    accompaniment.change_status(request.pk, status=Status.NO_FOLLOW_UP)
    first = SupportRequest.objects.get(pk=request.pk).first_response_at
    with pytest.raises(accompaniment.TransitionRefused):
        accompaniment.change_status(request.pk, status=Status.DONE)
    accompaniment.change_status(request.pk, status=Status.IN_PROGRESS)
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS and request.closed_at is None
    assert request.first_response_at == first  # the first response stays the first


@pytest.mark.parametrize(
    "url, status, subject, sentence",
    [
        (
            "/accompagnement/",
            Status.IN_PROGRESS,
            "Votre demande d'accompagnement : En cours",
            "est prise en charge",
        ),
        (
            "/accompagnement/",
            Status.NO_FOLLOW_UP,
            "Votre demande d'accompagnement : Sans suite",
            "donner suite",
        ),
        ("/en/accompagnement/", Status.IN_PROGRESS, "Your support request: In progress", "is being handled"),
        ("/en/accompagnement/", Status.DONE, "Your support request: Completed", "is complete"),
    ],
)
def test_the_requester_is_told_of_a_status_change_in_their_language(
    submit, smtp, url, status, subject, sentence
):
    request = submit(url=url)
    OutgoingEmail.objects.all().delete()  # the editors' notice
    accompaniment.change_status(request.pk, status=status)
    (email,) = OutgoingEmail.objects.all()
    assert outbox.deliver(email.pk) is True
    ((recipients, message),) = smtp.wait_for(1)
    assert recipients == ["julie@example.org"]
    assert message["Subject"] == subject
    assert sentence in message.get_content()
    assert message["Reply-To"] == "accompagnement@example.org"


def test_notes_and_assignments_send_nothing_to_the_requester(submit, editor):
    request = submit()
    OutgoingEmail.objects.all().delete()
    accompaniment.add_note(request.pk, text="Budget serré, voir la Caisse", user=editor)
    accompaniment.assign(request.pk, editor=editor)
    assert not OutgoingEmail.objects.exists()
    assert SupportRequestNote.objects.get().author == editor


def test_what_a_request_led_to_is_counted_through_each_apps_selectors(submit, make_event):
    led, other, idle = submit(), submit(), submit()
    factories.PostFactory(support_request=led)
    factories.PostFactory(support_request=led)
    make_event(title="Formation issue d'une demande", support_request=other)
    study_index = in_default_locale(CaseStudyIndexPage.objects).first()
    study = (
        in_default_locale(CaseStudyPage.objects).filter(pk__in=study_index.get_children()).first().specific
    )
    study.support_request = led
    study.save()

    requests = support_selectors.support_requests()
    assert set(requests.filter(pk__in=board_selectors.support_requests_with_posts())) == {led}
    assert set(requests.filter(pk__in=event_selectors.support_requests_with_events())) == {other}
    assert set(requests.filter(pk__in=support_selectors.support_requests_with_case_studies())) == {led}
    assert idle not in requests.filter(pk__in=board_selectors.support_requests_with_posts())
    assert [title for title, _url in board_selectors.posts_of_support_request(led)] == [
        p.title for p in led.posts.order_by("created_at", "pk")
    ]
    assert [t for t, _url in event_selectors.events_of_support_request(other)] == [
        "Formation issue d'une demande"
    ]


def test_counts_by_status_and_mrc(submit):
    a, b, c = submit(), submit(region="Argenteuil"), submit()
    accompaniment.change_status(b.pk, status=Status.IN_PROGRESS)
    accompaniment.change_status(c.pk, status=Status.DONE)
    requests = support_selectors.support_requests(start=a.submitted_at - timedelta(minutes=1))
    assert support_selectors.status_counts(requests) == {
        "new": 1,
        "in_progress": 1,
        "done": 1,
        "no_follow_up": 0,
    }
    assert sorted(support_selectors.counts_by_region(requests)) == [("argenteuil", 1), ("mirabel", 2)]
    assert support_selectors.support_requests(region="argenteuil").get() == b


def test_export_has_status_history_and_notes_and_erasure_keeps_the_anonymous_request(submit, editor):
    request = submit()
    accompaniment.add_note(request.pk, text="Julie rappelle lundi", user=editor)
    accompaniment.change_status(request.pk, status=Status.IN_PROGRESS, user=editor)
    factories.PostFactory(support_request=request)

    (exported,) = privacy.export("julie@example.org")["data"]["website"]["support_requests"]
    assert exported["status"] == "in_progress"
    assert [(c["from"], c["to"]) for c in exported["status_history"]] == [("new", "in_progress")]
    assert [n["text"] for n in exported["notes"]] == ["Julie rappelle lundi"]

    privacy.erase("julie@example.org")
    request.refresh_from_db()
    assert request.submission is None and not request.notes.exists()
    assert request.status == Status.IN_PROGRESS and request.region.slug == "mirabel"
    assert request.posts.count() == 1  # what it led to is still counted
    assert privacy.leftovers("julie@example.org", "Julie Tremblay") == []


def test_closed_requests_lose_answers_and_notes_after_the_retention_period(submit, settings):
    settings.RETENTION_SUPPORT_REQUESTS_MONTHS = 24
    old, recent, open_one = submit(), submit(), submit()
    now = timezone.now()
    accompaniment.change_status(old.pk, status=Status.DONE, now=now - timedelta(days=2 * 365 + 10))
    accompaniment.change_status(recent.pk, status=Status.DONE, now=now - timedelta(days=300))
    accompaniment.add_note(old.pk, text="Dossier clos")
    SupportRequest.objects.filter(pk=open_one.pk).update(submitted_at=now - timedelta(days=1000))

    assert privacy.apply_support_request_retention(now) == {
        "support_requests_emptied": 1,
        "support_request_notes_deleted": 1,
    }
    old.refresh_from_db()
    assert old.submission is None and old.status == Status.DONE
    assert set(FormSubmission.objects.filter(support_request__isnull=False)) == {
        recent.submission,
        open_one.submission,
    }
    assert privacy.apply_support_request_retention(now)["support_requests_emptied"] == 0


def test_the_upgrade_migration_opens_requests_received_before_it_on_a_site_with_support_pages(submit):
    """Run as an upgrade would: the historical models of the migration's own state (the page class keeps
    Wagtail's FormMixin there, which once made it fail on any site with a support page)."""
    migration = importlib.import_module("website.migrations.0009_existing_support_requests")
    older = submit(region="Deux-Montagnes")
    submission = older.submission
    older.delete()  # received before support requests existed

    state = MigrationExecutor(connection).loader.project_state(("website", "0009_existing_support_requests"))
    migration.open_existing(state.apps, None)

    opened = SupportRequest.objects.get(submission=submission)
    assert opened.status == Status.NEW and opened.region.name == "Deux-Montagnes"
    assert opened.language == "fr-ca"
