import pytest

from events import services
from events.models import EventPage, Registration
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


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
        {"subject": "Stationnement", "body": "Entrée par la rue Laval.", "statuses": ["confirmed"]},
    )
    assert OutgoingEmail.objects.filter(tag="events.bulk", subject="Stationnement").count() == 2
    client.post(f"/admin/evenements/{event.pk}/annuler/", {"message": "Tempête de neige."})
    event.refresh_from_db()
    assert event.status == EventPage.Status.CANCELLED
    cancelled = OutgoingEmail.objects.filter(tag="events.broadcast")
    assert cancelled.count() == 2 and all("Tempête de neige." in e.body for e in cancelled)


def test_dashboard_shows_fill_rates(client, editor, make_event, register):
    event = make_event(capacity=4, title="Atelier rempli")
    register(event, seats=3)
    html = client.get("/admin/").content.decode()
    assert "Atelier rempli" in html and "3/4 (75 %)" in html


def test_bulk_approve_registrations(client, editor, make_event, register):
    event = make_event(requires_approval=True)
    registration = register(event)
    url = f"/admin/bulk/events/registration/approve_registrations/?next=/admin/&id={registration.pk}"
    assert client.get(url).status_code == 200
    client.post(url)
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED
    assert services.seats_taken(event) == 1
