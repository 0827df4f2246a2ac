import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from events import services
from events.models import EventPage, Registration
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def admin_language(user, language):
    """The admin follows each user's preference (Compte → Langue)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def default_workflow(db):
    """Wagtail's default workflow as its migration 0048 names it (a transactional test's flush may have
    removed the one made at migrate time), then renamed by our migration website 0006."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

    if not Workflow.objects.exists():
        task = GroupApprovalTask.objects.create(name="Moderators approval")
        task.groups.set([Group.objects.get_or_create(name="Moderators")[0]])
        workflow = Workflow.objects.create(name="Moderators approval")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=Page.get_first_root_node())
    import_module("website.migrations.0006_default_workflow_in_french").rename(apps, None)
    return Workflow.objects.get(name="Approbation de la modération")


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_summary_shows_counts_waiting_and_shares(client, editor, make_event, register):
    event = make_event(capacity=2, total_cost=500)
    register(event, seats=2, organisation="Popote")
    register(event, seats=1, organisation="Friperie")
    html = client.get(f"/admin/evenements/{event.pk}/").content.decode()
    assert "2 places prises sur 2" in html and "Friperie" in html and "500\u00a0$" in html


def test_registrations_export_and_filter(client, editor, make_event, register):
    event = make_event()
    register(event, organisation="Popote", dietary_needs="Sans gluten")
    response = client.get(f"/admin/snippets/events/registration/?event={event.pk}&export=csv")
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "Popote" in content and "Sans gluten" in content
    assert client.get(f"/admin/snippets/events/registration/?event={event.pk}&export=xlsx").status_code == 200


def test_checkin_marks_attendance(client, editor, make_event, register):
    event = make_event()
    registration = register(event, seats=3)
    html = client.get(f"/admin/evenements/{event.pk}/presences/").content.decode()
    assert registration.organisation in html and "window.print()" in html
    client.post(f"/admin/evenements/{event.pk}/presences/", {f"present-{registration.pk}": "2"})
    assert Registration.objects.get(pk=registration.pk).attended == 2


def test_bulk_email_and_cancel_event(client, editor, make_event, register):
    event = make_event()
    register(event)
    register(event)
    client.post(
        f"/admin/evenements/{event.pk}/courriel/",
        {"subject": "Stationnement", "body": "Entrée par la rue Laval.", "states": ["confirmed"]},
    )
    assert OutgoingEmail.objects.filter(tag="events.bulk", subject="Stationnement").count() == 2
    client.post(f"/admin/evenements/{event.pk}/annuler/", {"message": "Tempête de neige."})
    event.refresh_from_db()
    assert event.state == EventPage.State.CANCELLED
    cancelled = OutgoingEmail.objects.filter(tag="events.broadcast")
    assert cancelled.count() == 2 and all("Tempête de neige." in e.body for e in cancelled)


def test_dashboard_shows_fill_rates(client, editor, make_event, register):
    event = make_event(capacity=4, title="Atelier rempli")
    register(event, seats=3)
    html = client.get("/admin/").content.decode()
    assert "Atelier rempli" in html and "3/4 (75\xa0%)" in html

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    assert "3/4 (75%)" in client.get("/admin/").content.decode()


def test_bulk_approve_registrations(client, editor, make_event, register):
    event = make_event(requires_approval=True)
    registration = register(event)
    url = f"/admin/bulk/events/registration/approve_registrations/?next=/admin/&id={registration.pk}"
    assert client.get(url).status_code == 200
    client.post(url)
    assert Registration.objects.get(pk=registration.pk).state == Registration.State.CONFIRMED
    assert services.seats_taken(event) == 1


# --- Seats beyond the maximum, after the start: editors only (#9) --------------------------------


def test_an_editor_raises_seats_past_the_maximum_and_after_the_start(client, editor, make_event, register):
    event = make_event(capacity=20, max_seats=4)
    registration = register(event, seats=2, organisation="Popote")
    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() - datetime.timedelta(hours=1))
    url = f"/admin/evenements/inscriptions/{registration.pk}/places/"
    html = client.get(url).content.decode()
    assert "Popote" in html and event.title in html and 'name="seats"' in html
    response = client.post(url, {"seats": "9"})
    assert response.status_code == 302 and response["Location"] == f"/admin/evenements/{event.pk}/"
    assert Registration.objects.get(pk=registration.pk).seats == 9
    entry = ModelLogEntry.objects.filter(action="events.registration.changed").latest("timestamp")
    assert entry.user_id == editor.pk and entry.data == {"seats": 9}


def test_an_editor_cannot_give_seats_that_are_not_free(client, editor, make_event, register):
    event = make_event(capacity=5, max_seats=4)
    registration = register(event, seats=2)
    register(event, seats=2)
    response = client.post(f"/admin/evenements/inscriptions/{registration.pk}/places/", {"seats": "4"})
    assert response.status_code == 200
    assert "Augmentez d&#x27;abord la capacité" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).seats == 2


def test_registrations_listing_links_to_the_seats_screen(client, editor, make_event, register):
    registration = register(make_event())
    html = client.get("/admin/snippets/events/registration/").content.decode()
    assert f"/admin/evenements/inscriptions/{registration.pk}/places/" in html


# --- Per-event screens: title, breadcrumb, way back; reachable from the page listing (#8.4) -------


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "action, title_fr, title_en",
    [
        ("", "Inscriptions", "Registrations"),
        ("presences/", "Liste de présences", "Attendance list"),
        ("courriel/", "Écrire aux personnes inscrites", "Write to the people registered"),
        ("annuler/", "Annuler l'événement", "Cancel the event"),
    ],
)
def test_event_screens_name_the_event_with_a_breadcrumb_and_a_way_back(
    client, editor, make_event, register, language, action, title_fr, title_en
):
    admin_language(editor, language)
    event = make_event(title="Formation : comptabilité partagée")
    register(event)
    html = client.get(f"/admin/evenements/{event.pk}/{action}").content.decode()
    title = escape(title_fr if language == "fr" else title_en)
    assert f"<title>{title} — Formation : comptabilité partagée" in html
    assert 'data-controller="w-breadcrumbs"' in html
    breadcrumbs = html.split('data-controller="w-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert (
        f'href="/admin/pages/{event.pk}/edit/"' in breadcrumbs
        or f"/admin/pages/{event.get_parent().pk}/" in breadcrumbs
    )
    assert f'href="/admin/evenements/{event.pk}/"' in breadcrumbs or action == ""
    assert f"/admin/pages/{event.pk}/edit/" in html  # back to the event
    if action:
        assert ("Retour aux inscriptions" if language == "fr" else "Back to registrations") in html


def test_page_listing_offers_inscriptions_for_events(client, editor, make_event):
    event = make_event()
    html = client.get(f"/admin/pages/{event.get_parent().pk}/").content.decode()
    assert f'href="/admin/evenements/{event.pk}/"' in html
    home = client.get(f"/admin/pages/{event.get_parent().get_parent().pk}/").content.decode()
    assert "/admin/evenements/" not in home


# --- Exports readable in both languages (#8.5) ----------------------------------------------------


@pytest.mark.parametrize(
    "language, status, no, heading",
    [("fr", "Inscrite", "Non", "Statut"), ("en", "Registered", "No", "Status")],
)
def test_registrations_export_has_labels_not_codes(
    client, editor, make_event, register, language, status, no, heading
):
    admin_language(editor, language)
    event = make_event()
    registration = register(event, organisation="Popote", attendee_names=["Ana", "Bo"])
    Registration.objects.filter(pk=registration.pk).update(
        answers={"Atelier préféré": "Matin", "Allergies?": "non"},
        created_at=timezone.make_aware(datetime.datetime(2026, 11, 27, 11, 39)),
    )
    register(event, organisation="Friperie")  # no answers
    response = client.get(f"/admin/snippets/events/registration/?event={event.pk}&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, popote, friperie = rows[0], rows[1], rows[2]
    assert heading in header
    cell = dict(zip(header, popote, strict=True))
    assert cell[heading] == status
    answers = set(cell["Réponses" if language == "fr" else "Answers"].split("; "))
    colon = " :" if language == "fr" else ":"  # each language's colon
    assert answers == {f"Atelier préféré{colon} Matin", f"Allergies?{colon} non"} and "Ana, Bo" in popote
    assert no in popote and "2026-11-27 11:39" in popote
    for row in (popote, friperie):
        assert not {"confirmed", "False", "True", "{}", "[]"} & set(row)
        assert not any("+00:00" in value for value in row)


# --- The admin reads naturally in French and in English, with no raw values (#8.5) ----------------


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "fr",
            [
                "Ajouter une personne-ressource",
                "Ajouter une question",
                "Soumettre à « Approbation de la modération »",
                "places au plus par inscription",
            ],
        ),
        (
            "en",
            [
                "Add a resource person",
                "Add a question",
                "Submit to “Moderation approval”",
                "most seats per registration",
            ],
        ),
    ],
)
def test_event_edit_screen_reads_naturally(client, editor, make_event, default_workflow, language, expected):
    admin_language(editor, language)
    html = client.get(f"/admin/pages/{make_event().pk}/edit/").content.decode()
    for text in expected:
        assert escape(text).lower() in html.lower() or text.lower() in html.lower(), text
    for raw in (
        "Ajouter un(e)",
        "Moderators approval",
        "Approbation de la modération »" * (language == "en"),
    ):
        assert not raw or raw not in html, raw


@pytest.mark.parametrize(
    "language, yes, no, add",
    [("fr", "Oui", "Non", "Ajouter un type d'événement"), ("en", "Yes", "No", "Add an event type")],
)
def test_event_kinds_and_users_listings_say_yes_or_no(client, editor, event_index, language, yes, no, add):
    admin_language(editor, language)
    kinds = client.get("/admin/snippets/events/eventkind/").content.decode()
    users = client.get("/admin/users/").content.decode()
    for html in (kinds, users):
        assert "True" not in html and "False" not in html
    assert re.search(rf'<span class="w-sr-only">\s*{yes}\s*</span>', kinds)  # "formation" shares costs
    assert re.search(rf'<span class="w-sr-only">\s*{no}\s*</span>', kinds)
    assert re.search(rf'<span class="w-sr-only">\s*{yes}\s*</span>', users)  # the editor is active
    assert escape(add) in kinds and "un(e)" not in kinds


def test_an_editor_cancels_a_registration_after_the_start(client, editor, make_event, register):
    event = make_event(capacity=1)
    registration = register(event, organisation="Popote")
    waiting = register(event, organisation="Friperie")
    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() - datetime.timedelta(hours=1))
    assert (
        'annuler/"'
        in client.get(f"/admin/evenements/inscriptions/{registration.pk}/places/").content.decode()
    )
    response = client.post(f"/admin/evenements/inscriptions/{registration.pk}/annuler/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).state == Registration.State.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).state == Registration.State.CONFIRMED
    entry = ModelLogEntry.objects.filter(action="events.registration.cancelled").latest("timestamp")
    assert entry.user_id == editor.pk


@pytest.mark.parametrize(
    "language, texts",
    [
        ("fr", ["Places de l'inscription — ", "Enregistrer les places", "Annuler cette inscription"]),
        ("en", ["Registration seats — ", "Save seats", "Cancel this registration"]),
    ],
)
def test_the_seats_screen_in_both_languages(client, editor, make_event, register, language, texts):
    admin_language(editor, language)
    event = make_event(title="Atelier bilingue")
    registration = register(event, organisation="Popote")
    html = unescape(client.get(f"/admin/evenements/inscriptions/{registration.pk}/places/").content.decode())
    for text in texts:
        assert text in html, text
    assert "Atelier bilingue" in html and 'data-controller="w-breadcrumbs"' in html


def test_the_registration_edit_form_does_not_change_seats_or_state(client, editor, make_event, register):
    event = make_event(capacity=2, max_seats=2)
    registration = register(event, seats=1, organisation="Popote")
    waiting = register(event, seats=2, organisation="Friperie")
    url = f"/admin/snippets/events/registration/edit/{registration.pk}/"
    html = client.get(url).content.decode()
    assert 'name="organisation"' in html and 'name="dietary_needs"' in html
    assert 'name="seats"' not in html and 'name="state"' not in html and 'name="event"' not in html
    response = client.post(
        url,
        {
            "contact_name": "Personne",
            "email": "p@example.org",
            "organisation": "Popote",
            "attendee_names": "[]",
            "dietary_needs": "Sans gluten",
            "accessibility_needs": "",
            "answers": "{}",
            "language": "fr-ca",
            "attended": "",
            "seats": "9",
            "state": "cancelled",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration.refresh_from_db()
    assert registration.dietary_needs == "Sans gluten"
    assert registration.seats == 1 and registration.state == Registration.State.CONFIRMED
    assert Registration.objects.get(pk=waiting.pk).state == Registration.State.WAITING
