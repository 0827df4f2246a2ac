"""The event page serves its own form (as Wagtail's form pages do), one cost rule rounds every share,
and the revisions of event pages follow the field's rename to `state`."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import resolve, reverse

from events import services
from events.models import EventPage, Registration
from events.services.costs import share
from website.tokens import object_from_token

pytestmark = pytest.mark.django_db
D = Decimal


def form_data(**fields):
    return {
        "contact_name": "Dominique",
        "email": "d@example.org",
        "organisation": "Popote",
        "seats": "1",
        **fields,
    }


def test_a_registration_redirects_to_its_own_page_with_the_services_token(client, make_event):
    event = make_event(capacity=5)
    response = client.post(event.url, form_data())
    registration = Registration.objects.get(event=event)
    assert response.status_code == 302
    # The service's token, signed with a timestamp in seconds: one made now can differ from the
    # redirect's by its last second, so the route and what the token names are compared.
    match = resolve(response["Location"])
    assert match.view_name == "events:registration_manage"
    token = match.kwargs["token"]
    assert token.split(":")[0] == services.manage_token(registration).split(":")[0]
    assert (
        object_from_token(Registration.objects, token, "registration.manage", services.MANAGE_MAX_AGE)
        == registration
    )


def test_over_the_rate_the_event_page_answers_429_keeps_the_values_and_saves_nothing(
    client, make_event, settings
):
    settings.PUBLIC_FORM_RATE = "1/d"
    event = make_event(capacity=5)
    assert client.post(event.url, form_data(email="")).status_code == 400  # refused by the form: 400
    response = client.post(event.url, form_data(organisation="Friperie du lac"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Réessayez dans quelques minutes" in html and 'value="Friperie du lac"' in html
    assert not Registration.objects.filter(event=event).exists()


def test_a_closed_event_refuses_with_the_page_and_a_400(client, make_event):
    event = make_event(capacity=5)
    EventPage.objects.filter(pk=event.pk).update(state=EventPage.State.CANCELLED)
    response = client.post(event.url, form_data())
    assert response.status_code == 400
    assert "Cet événement est annulé." in response.content.decode()  # the page again, which says why
    assert not Registration.objects.filter(event=event).exists()


def test_over_the_rate_the_registration_page_answers_429_and_changes_nothing(
    client, make_event, register, settings
):
    registration = register(make_event(capacity=5), seats=1)
    url = reverse("events:registration_manage", args=[services.manage_token(registration)])
    settings.PUBLIC_FORM_RATE = "1/d"
    assert client.post(url, {"seats": "2"}).status_code == 302
    response = client.post(url, {"seats": "3"})
    assert response.status_code == 429
    assert Registration.objects.get(pk=registration.pk).seats == 2


@pytest.mark.parametrize(
    "total, part, whole, cap, expected",
    [
        (D("10.05"), 1, 2, None, D("5.03")),  # 5.025: half up (half even would say 5.02)
        (D("0.25"), 1, 2, None, D("0.13")),  # 0.125
        (D("10.05"), 1, 2, D("5.02"), D("5.02")),  # the cap before rounding
        (D("100"), 1, 3, None, D("33.33")),
        (D("200"), 2, 3, None, D("133.33")),  # 133.333…
    ],
)
def test_the_cost_rule_rounds_half_up_to_the_cent(total, part, whole, cap, expected):
    assert share(total, part, whole, cap) == expected


def test_the_price_of_a_seat_and_the_shares_round_the_same_way(make_event, register):
    """5.025 a seat: the page's price of a seat and each organisation's share both say 5.03 (the page
    rounded half to even before, 5.02, while the shares said 5.03)."""
    event = make_event(capacity=10, total_cost=D("10.05"), cost_rule=EventPage.CostRule.PER_SEAT)
    register(event, seats=1, organisation="A")
    register(event, seats=1, organisation="B")
    assert services.share_preview(event)["current"] == D("5.03")
    assert [amount for _name, _seats, amount in services.cost_shares(event)] == [D("5.03"), D("5.03")]


def test_the_migration_renames_status_to_state_in_event_revisions(make_event):
    """An editor opens the latest revision: one still saying `status` would show a cancelled event as
    scheduled, and publish it so."""
    event = make_event(capacity=5)
    revision = event.save_revision()
    revision.content.pop("state")
    revision.content["status"] = "cancelled"
    revision.save(update_fields=["content"])
    migration = importlib.import_module("events.migrations.0006_state")
    migration.forwards(apps, None)
    revision.refresh_from_db()
    assert "status" not in revision.content
    assert revision.as_object().state == EventPage.State.CANCELLED
