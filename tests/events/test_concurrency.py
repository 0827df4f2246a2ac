"""200 people register at once for 50 seats, over HTTP, each request in its own thread and database
connection: capacity is never exceeded, nobody gets a server error, the rest wait in arrival order, each
gets exactly one email, and organisations typed by several people at once are created once."""

import random
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from events import services
from events.models import Registration
from website.models import Organisation, OutgoingEmail

ATTEMPTS = 200
CAPACITY = 50


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_registrations_never_overbook(live_server, make_event, settings):
    settings.PUBLIC_FORM_RATE = "10000/m"
    event = make_event(capacity=CAPACITY)
    url = live_server.url + event.url

    session = requests.Session()
    page = session.get(url, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    rng = random.Random(20261126)
    attempts = [(i, rng.choice([1, 1, 2, 3, 4]), i % 5 == 0) for i in range(ATTEMPTS)]

    def attempt(args):
        i, seats, partial = args
        data = {
            "csrfmiddlewaretoken": token,
            "contact_name": f"Personne {i}",
            "email": f"p{i}@example.org",
            "organisation": f"Organisme concurrent {i % 7}",  # new names, typed at once by several
            "seats": seats,
        }
        if partial:
            data["allow_partial"] = "on"
        response = session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=120)
        return response.status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(attempt, attempts))

    assert codes.count(302) == ATTEMPTS, sorted(set(codes))
    registrations = list(Registration.objects.filter(event=event).order_by("created_at", "pk"))
    assert len(registrations) == ATTEMPTS
    holding = [r for r in registrations if r.holds_seats]
    waiting = [r for r in registrations if r.state == Registration.State.WAITING]
    assert sum(r.seats for r in holding) == CAPACITY == services.seats_taken(event)
    assert len(holding) + len(waiting) == ATTEMPTS
    # Arrival order is the order in which the lock was granted: creation times never go backwards.
    stamps = [r.created_at for r in registrations]
    assert stamps == sorted(stamps)
    # No seat is freed here, so a registration let in after someone started waiting took seats that
    # the waiting entry could not use: it asked for more than was left (and did not accept fewer).
    for r in holding:
        for w in waiting:
            if w.created_at < r.created_at:
                assert w.seats > r.seats and not w.allow_partial
    # The email of each registration is written in its transaction: one per person, none lost.
    emails = OutgoingEmail.objects.filter(tag__in=["events.confirmed", "events.waiting"])
    assert sorted(address for e in emails for address in e.to) == sorted(r.email for r in registrations)
    linked = {r.member_organisation_id for r in registrations}
    assert Organisation.objects.filter(name__startswith="Organisme concurrent").count() == 7 == len(linked)
