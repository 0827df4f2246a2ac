"""Registration: many clients post the form of one event at once, each loading the page (for its CSRF
token) before its post. Seats held must equal the capacity: more would be overbooking, fewer a lost
registration (the demand is several times the capacity)."""

import http.client
import random
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from bench.run import figure, log, problem

SLUG = "bench-inscriptions"
WARM_UP_SLUG = "bench-echauffement"
# 24 one-seat registrations for 12 seats, spread over the 4 workers: each renders both emails.
WARM_UP_CAPACITY, WARM_UP_REGISTRATIONS = 12, 24
TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE_RE = re.compile(r"csrftoken=([^;]+)")
FORM = "application/x-www-form-urlencoded"


def exchange(port, method, path, body=None, headers=None):
    """One request on a connection of its own (gunicorn's sync workers close each one), with the standard
    library's client: the 32 clients share the machine with what they measure, and `requests` spent about a
    tenth of its two cores (its sessions, cookie jars and adapters for every call)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def fresh_event(capacity, slug=SLUG, title="Banc d'essai des inscriptions"):
    """A benchmark event, created once, emptied of its registrations before each run (the caller then
    vacuums once for all)."""
    from django.utils import timezone

    from bench.data import add_pages
    from events.models import EventIndexPage, EventKind, EventPage, Registration
    from website.i18n import in_default_locale

    event = EventPage.objects.filter(slug=slug).first()
    if event is None:
        start = timezone.now() + timezone.timedelta(days=30)
        event = EventPage(
            title=title,
            slug=slug,
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


def warm_up(stack, path, warm_event, clients):
    """Before the timed window, as on a site that has been serving for a while: every gunicorn worker
    has loaded its code, templates and routes. Page loads of the benchmark's event and posts it refuses
    (no seat taken), then registrations on a warm-up event of its own, taken then waiting (each worker
    renders both emails and the page after a change once: about 45 ms of first-time work per worker
    that would otherwise land in the window's first second), whose emails leave before the window."""
    from django.utils import timezone

    began = timezone.now()

    def visit(i):
        _status, headers, page = exchange(stack.web_port, "GET", path)
        token = TOKEN_RE.search(page)
        cookie = csrf_cookie(headers)
        data = {"csrfmiddlewaretoken": token.group(1).decode() if token else "", "seats": 0}
        exchange(stack.web_port, "POST", path, urlencode(data), form_headers(cookie, stack.base_url + path))
        if i < WARM_UP_REGISTRATIONS:
            data.update(
                seats=1,
                contact_name=f"Échauffement {i}",
                email=f"bench-echauffement{i}@example.org",
                organisation=f"Organisme {i}",
            )
            url = warm_event.url
            exchange(stack.web_port, "GET", url)
            exchange(stack.web_port, "POST", url, urlencode(data), form_headers(cookie, stack.base_url + url))

    with ThreadPoolExecutor(max_workers=min(clients, 8)) as pool:
        list(pool.map(visit, range(32)))
    wait_for_outbox(began)


def wait_for_outbox(since, timeout=30):
    """Until the worker has sent the emails queued `since` (the warm-up's): it is idle when the window
    opens."""
    from website.models.outbox import OutgoingEmail

    deadline = time.monotonic() + timeout
    queued = OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED, created_at__gte=since)
    while queued.exists():
        if time.monotonic() > deadline:
            log("  the worker had not sent the warm-up's emails after 30 s; measuring anyway")
            return
        time.sleep(0.2)


def csrf_cookie(headers):
    found = CSRF_COOKIE_RE.search(" ".join(headers.get_all("Set-Cookie") or []))
    return found.group(1) if found else ""


def form_headers(cookie, url):
    # The production cookie is Secure: sent by hand over plain HTTP on loopback.
    return {"Cookie": f"csrftoken={cookie}", "Referer": url, "Content-Type": FORM}


def run(stack, sizes):
    from bench.data import vacuum
    from events import services
    from events.models import Registration

    capacity, posts, clients = sizes["capacity"], sizes["posts"], sizes["clients"]
    event = fresh_event(capacity)
    warm_event = fresh_event(WARM_UP_CAPACITY, WARM_UP_SLUG, "Échauffement du banc d'essai")
    vacuum()
    path = event.url
    url = stack.base_url + path
    rng = random.Random(20261127)
    attempts = [(i, rng.choice([1, 1, 2, 3, 4]), i % 5 == 0) for i in range(posts)]

    def attempt(args):
        i, seats, partial = args
        try:
            status, headers, page = exchange(stack.web_port, "GET", path)
            token = TOKEN_RE.search(page).group(1).decode()
            cookie = csrf_cookie(headers)
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
            status, _headers, _body = exchange(
                stack.web_port, "POST", path, urlencode(data), form_headers(cookie, url)
            )
            return status, time.monotonic() - began
        except (OSError, http.client.HTTPException, AttributeError) as exc:
            return type(exc).__name__, None

    warm_up(stack, path, warm_event, clients)
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
