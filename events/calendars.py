"""iCalendar (RFC 5545) for events, built with the icalendar library: one feed and one file per event.

UIDs are random UUIDs stored with each event, so they never change; DTSTAMP is the last publication;
SEQUENCE goes up when the dates or the state change; times carry America/Toronto with its VTIMEZONE."""

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from icalendar import Calendar, Event

from events.models.records import EventState, event_pages
from website.i18n import absolute_url, active_locale, canonical, current_language, page_url

TZ = ZoneInfo(settings.TIME_ZONE)


def ics_status(event):
    """CANCELLED when cancelled; TENTATIVE while a go/no-go threshold is still to be decided, or while the
    event is postponed to dates not yet known; CONFIRMED otherwise (an event without a threshold is
    simply happening)."""
    if event.state == EventState.CANCELLED:
        return "CANCELLED"
    if event.state == EventState.POSTPONED:
        return "TENTATIVE"
    if event.threshold and event.state == EventState.SCHEDULED and not event.decided_at:
        return "TENTATIVE"
    return "CONFIRMED"


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Maillon//Evenements//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def add_timezones(calendar):
    today = timezone.localdate()
    calendar.add_missing_timezones(
        first_date=today.replace(year=today.year - 2, month=1, day=1),
        last_date=today.replace(year=today.year + 3, month=1, day=1),
    )


def location(event):
    parts = [event.venue, " ".join(event.address.split())]
    return ", ".join(p for p in parts if p) or event.online_url and "En ligne" or ""


def vevent(event, language=None, url=None):
    """One VEVENT: the source event's data, its address in `language` (default: the active one). A caller
    that gives `url` gives the source event too (the feed, which looks both up for all events at once)."""
    if url is None:
        event = canonical(event)
        url = page_url(event, language, absolute=True)
    item = Event()
    item.add("uid", f"{event.uid}@maillon")
    item.add("dtstamp", event.last_published_at or event.latest_revision_created_at or timezone.now())
    item.add("dtstart", event.start.astimezone(TZ))
    item.add("dtend", event.end.astimezone(TZ))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    item.add("description", event.summary or "")
    item.add("url", url)
    item.add("status", ics_status(event))
    if location(event):
        item.add("location", location(event))
    return item


def event_calendar(event, language=None):
    calendar = new_calendar(event.title)
    calendar.add_component(vevent(event, language))
    add_timezones(calendar)
    return calendar.to_ical()


def feed_calendar(index, language=None):
    """Every event under the (source) index, with its address in `language`. The same number of queries
    whatever the number of events: the events in one, their pages in `language` in another."""
    language = language or current_language()
    calendar = new_calendar("Événements — Maillon")
    events = list(event_pages().child_of(canonical(index)).live().public().order_by("start"))
    translations = {}
    with translation.override(language):
        locale = active_locale()
    if events and locale.pk != events[0].locale_id:
        keys = [event.translation_key for event in events]
        translations = {
            page.translation_key: page
            for page in event_pages().filter(locale=locale, translation_key__in=keys).live()
        }
    with translation.override(language):
        for event in events:
            url = absolute_url(translations.get(event.translation_key, event).get_url())
            calendar.add_component(vevent(event, language, url=url))
    add_timezones(calendar)
    return calendar.to_ical()


def ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    # A Unicode slug gives a non-ASCII file name: RFC 6266's filename* carries it.
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def feed_response(index, language=None):
    return ics_response(feed_calendar(index, language), "calendrier.ics")


def event_response(event, language=None):
    return ics_response(event_calendar(event, language), f"{event.slug}.ics")


def add_to_calendar_links(page):
    """Links for the page being read: its `.ics` and its address in the reader's language."""
    event = canonical(page)
    url = page_url(page, absolute=True)
    utc = "%Y%m%dT%H%M%SZ"
    start, end = event.start.astimezone(ZoneInfo("UTC")), event.end.astimezone(ZoneInfo("UTC"))
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start:{utc}}/{end:{utc}}",
            "details": url,
            "location": location(event),
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": start.isoformat(),
            "enddt": end.isoformat(),
            "body": url,
            "location": location(event),
        }
    )
    return {"ics": reverse("event_calendar", args=[page.slug]), "google": google, "outlook": outlook}
