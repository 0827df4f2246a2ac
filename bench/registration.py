"""Registration: many clients post the form of one event at once, each loading the page (for its CSRF
token) before its post. Seats held must equal the capacity: more would be overbooking, fewer a lost
registration (the demand is several times the capacity)."""

import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.run import figure, log, problem

SLUG = "bench-inscriptions"


def fresh_event(capacity):
    """The benchmark's event, created once, emptied of its registrations before each run."""
    from django.utils import timezone

    from bench.data import add_pages
    from events.models import EventIndexPage, EventKind, EventPage, Registration
    from website.i18n import in_default_locale

    event = EventPage.objects.filter(slug=SLUG).first()
    if event is None:
        start = timezone.now() + timezone.timedelta(days=30)
        event = EventPage(
            title="Banc d'essai des inscriptions",
            slug=SLUG,
            kind=EventKind.objects.get(slug="formation"),
            start=start,
            end=start + timezone.timedelta(hours=3),
            venue="Salle du banc d'essai",
            capacity=capacity,
            max_seats=4,
        )
        add_pages(in_default_locale(EventIndexPage.objects).get(), [event])
    Registration.objects.filter(event=event).delete()
    EventPage.objects.filter(pk=event.pk).update(capacity=capacity, max_seats=4)
    return EventPage.objects.get(pk=event.pk)


def warm_up(url, clients):
    """Before the timed window, as on a site that has been serving for a while: every gunicorn worker
    has loaded its code, templates and routes (page loads, and posts the form refuses: no seat taken)."""

    def visit(_):
        with requests.Session() as session:
            page = session.get(url, timeout=60)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            cookie = f"csrftoken={page.cookies.get('csrftoken') or session.cookies.get('csrftoken')}"
            data = {"csrfmiddlewaretoken": token.group(1) if token else "", "seats": 0}
            session.post(url, data=data, headers={"Cookie": cookie, "Referer": url}, timeout=60)

    with ThreadPoolExecutor(max_workers=min(clients, 8)) as pool:
        list(pool.map(visit, range(32)))


def run(stack, sizes):
    from events import services
    from events.models import Registration

    capacity, posts, clients = sizes["capacity"], sizes["posts"], sizes["clients"]
    event = fresh_event(capacity)
    url = stack.base_url + event.url
    rng = random.Random(20261127)
    attempts = [(i, rng.choice([1, 1, 2, 3, 4]), i % 5 == 0) for i in range(posts)]
    local = threading.local()

    def attempt(args):
        i, seats, partial = args
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        try:
            page = session.get(url, timeout=60)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            # The production cookie is Secure: sent by hand over plain HTTP on loopback.
            cookie = f"csrftoken={page.cookies.get('csrftoken') or session.cookies.get('csrftoken')}"
            data = {
                "csrfmiddlewaretoken": token,
                "contact_name": f"Personne {i}",
                "email": f"bench-inscription{i}@example.org",
                "organisation": f"Organisme {i}",
                "seats": seats,
            }
            if partial:
                data["allow_partial"] = "on"
            began = time.monotonic()
            response = session.post(
                url, data=data, headers={"Cookie": cookie, "Referer": url}, allow_redirects=False, timeout=60
            )
            return response.status_code, time.monotonic() - began
        except (requests.RequestException, AttributeError) as exc:
            return type(exc).__name__, None

    warm_up(url, clients)
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        outcomes = list(pool.map(attempt, attempts))
    elapsed = time.monotonic() - began
    accepted = sum(1 for code, _ in outcomes if code == 302)
    errors = len(outcomes) - accepted
    if errors:
        log(f"  registration errors: {sorted({str(code) for code, _ in outcomes if code != 302})}")
    latencies = sorted(s for code, s in outcomes if code == 302)
    held = services.seats_taken(event)
    stored = Registration.objects.filter(event=event).count()
    waiting = Registration.objects.filter(event=event, state=Registration.State.WAITING).count()
    result = figure(
        "registration",
        round(accepted / elapsed, 1),
        "accepted posts/s",
        seats_held=held,
        capacity=capacity,
        waiting=waiting,
        errors=errors,
        posts=posts,
        clients=clients,
        p50_ms=round(statistics.median(latencies) * 1000) if latencies else None,
        p99_ms=round(latencies[int(0.99 * (len(latencies) - 1))] * 1000) if latencies else None,
        gunicorn_workers=4,
    )
    if held != capacity or stored != accepted:
        problem(f"registration: {held} seats held for {capacity}, {stored} rows for {accepted} accepted")
    return [result]
